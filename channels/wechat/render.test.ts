import { describe, expect, it } from 'vitest';
import { cutAtLine, pickChoice, portalLink, renderReply } from './render.ts';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('renderReply', () => {
  it('numbers quick replies the citizen answers with a digit', () => {
    const rendered = renderReply({ kind: 'answer', text: '身份证补领需要……', quickReplies: ['办理材料', '转人工'] });
    expect(rendered.content).toBe('身份证补领需要……\n\n回复数字选择：\n1. 办理材料\n2. 转人工');
    expect(rendered.choices).toEqual(['办理材料', '转人工']);
  });

  it('leaves a clarifying question as the bot numbered it, and leaves its digits to the bot', () => {
    const text = '您想问的是下面哪一项？\n1. 身份证补领\n2. 身份证换领\n请回复序号或名称。';
    const rendered = renderReply({ kind: 'clarify', text, quickReplies: ['身份证补领', '身份证换领'] });
    expect(rendered).toEqual({ content: text, choices: [] });
  });

  it('cuts a long answer at a line boundary below 2048 bytes, with the link and the options', () => {
    const lines = Array.from({ length: 80 }, (_, i) => `${i + 1}. 申请人需携带居民户口簿原件及复印件（第${i + 1}项）`);
    const rendered = renderReply({ kind: 'answer', text: lines.join('\n'), quickReplies: ['转人工'] },
      { moreLink: 'https://banshi.example/?q=%E8%BA%AB' });
    expect(bytes(rendered.content)).toBeLessThanOrEqual(2048);
    const [kept, rest] = rendered.content.split('\n…完整内容请查看：');
    expect(lines.join('\n').startsWith(kept!)).toBe(true);
    expect(lines).toContain(kept!.split('\n').at(-1));
    expect(rest).toBe('https://banshi.example/?q=%E8%BA%AB\n\n回复数字选择：\n1. 转人工');
    expect(rendered.choices).toEqual(['转人工']);
  });

  it('drops the options rather than cut an answer that fits alone', () => {
    const text = '办'.repeat(680); // 2040 bytes
    expect(renderReply({ kind: 'answer', text, quickReplies: ['转人工'] })).toEqual({ content: text, choices: [] });
  });

  it('cuts inside a single long line without splitting a character', () => {
    expect(cutAtLine('办事指南', 7)).toBe('办事');
    const rendered = renderReply({ kind: 'answer', text: '办'.repeat(1000), quickReplies: [] });
    expect(bytes(rendered.content)).toBeLessThanOrEqual(2048);
    expect(rendered.content.endsWith('…（内容较长，已省略部分）')).toBe(true);
  });
});

describe('pickChoice', () => {
  const offered = ['办理材料', '办理地点', '转人工'];
  it('maps a digit (half- or full-width) to the numbered option', () => {
    expect(pickChoice('2', offered)).toBe('办理地点');
    expect(pickChoice(' ３。', offered)).toBe('转人工');
  });
  it('lets anything else through', () => {
    expect(pickChoice('4', offered)).toBeNull();
    expect(pickChoice('0', offered)).toBeNull();
    expect(pickChoice('2号窗口在哪', offered)).toBeNull();
    expect(pickChoice('1', [])).toBeNull();
  });
});

describe('portalLink', () => {
  it('opens the portal with the entry title asked', () => {
    expect(portalLink('https://banshi.example/', '居民身份证补领')).toBe(`https://banshi.example/?q=${encodeURIComponent('居民身份证补领')}`);
    expect(portalLink('https://banshi.example', null)).toBe('https://banshi.example/');
  });
});
