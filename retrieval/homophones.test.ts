import { describe, expect, it } from 'vitest';
import { Homophones } from './homophones.ts';

describe('Homophones', () => {
  const homophones = new Homophones((char) => '的了有'.includes(char));
  const names = ['公司注册登记', '居住证申领', '护士资格考试报名', '门票优惠', '二手车买卖', '劳工保险', '地价', '花名册报送'];
  for (const name of names) homophones.learn(name);
  const used = (text: string): boolean => names.some((name) => name.includes(text));
  const slips = (run: string, words: string[] = []): string[] => homophones.slips(run, used, (p) => words.includes(p)).sort();

  it('reads a character as its homophone when it then makes, with its neighbours, text a name has', () => {
    expect(slips('注测登记')).toEqual(['册登', '注册']);
    expect(slips('居驻证')).toEqual(['住证', '居住']);
    expect(slips('考式报名')).toEqual(['考试', '试报']);
    // At the end of a run, the two characters before it.
    expect(slips('门票优会')).toEqual(['优惠']);
    expect(slips('优会')).toEqual(['优惠']);
  });

  it('leaves known pairs, word boundaries and ordinary words alone', () => {
    expect(slips('注册登记')).toEqual([]);
    // 卖 → 买 makes 买了 (known) but not 子买: a boundary, not a slip.
    expect(slips('房子卖了')).toEqual([]);
    // 测 → 册 would make 注册 and 册报, each in some name, but no name has 注册报.
    expect(slips('注测报送')).toEqual([]);
    // 优惠 is known, but no name has 买优惠.
    expect(slips('买优会')).toEqual([]);
    // 的 is no slip for 地, though 地价 is known.
    expect(slips('的价')).toEqual([]);
    // 老公 and 劳工 share their sounds but no character.
    expect(slips('老公')).toEqual([]);
    // An unknown pair that is an ordinary word stays what it is.
    expect(slips('门票优会', ['优会'])).toEqual([]);
  });
});
