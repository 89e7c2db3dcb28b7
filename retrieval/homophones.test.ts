import { describe, expect, it } from 'vitest';
import { Homophones } from './homophones.ts';

describe('Homophones', () => {
  const homophones = new Homophones();
  homophones.learn('公司注册登记 报名 材料 身份证 优惠 劳工');
  const known = new Set(['注册', '报名', '材料', '身份证', '优惠', '劳工']);
  const meant = (word: string): string[] => homophones.variants(word, (w) => known.has(w));

  it('swaps one character for a known one of the same sound', () => {
    expect(meant('注测')).toEqual(['注册']);
    expect(meant('才料')).toEqual(['材料']);
    expect(meant('身份正')).toEqual(['身份证']);
    expect(meant('优会')).toEqual(['优惠']);
  });

  it('never swaps two characters, nor for one it has not learned', () => {
    // 老公 and 劳工 share their sounds but no character.
    expect(meant('老公')).toEqual([]);
    // 报 is learned, but nothing known comes of 报告.
    expect(meant('抱告')).toEqual([]);
  });
});
