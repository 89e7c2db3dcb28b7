import { describe, expect, it } from 'vitest';
import { addWords, tokens } from './segment.ts';
import { expand } from './lexicon.ts';

describe('tokens', () => {
  it('cuts a misspelt colloquial question into words the lexicon can repair', () => {
    const words = tokens('身份正丢了咋补办');
    // 身份正 is a lexicon typo loaded into jieba's user dictionary.
    expect(words).toContain('身份正');
    expect(words).toContain('补办');
    // 咋 is a question word, 了 a particle.
    expect(words).not.toContain('咋');
    expect(words).not.toContain('了');
    const expanded = expand(words).map((t) => t.term);
    expect(expanded).toContain('身份证');
    expect(expanded).toContain('补领');
  });

  it('keeps domain words whole and adds their parts (search mode)', () => {
    const words = tokens('往来港澳通行证续签');
    expect(words).toContain('往来港澳通行证');
    expect(words).toContain('通行证');
    expect(words).toContain('续签');
  });

  it('drops stopwords and keeps the words that tell matters apart', () => {
    const words = tokens('我要在哪里办理护照补办');
    expect(words).toEqual(expect.arrayContaining(['办理', '护照', '补办']));
    for (const stop of ['我', '要', '在', '哪里']) expect(words).not.toContain(stop);
  });

  it('keeps single characters that carry meaning and drops function characters', () => {
    // 换 is the whole action here; 的 and 了 are grammar.
    expect(tokens('护照过期了的换')).toEqual(['护照', '过期', '换']);
  });

  it('drops whitespace and punctuation, lower-cases Latin words, keeps numbers', () => {
    expect(tokens('APP 下载 , 12345')).toEqual(['app', '下载', '12345']);
  });
});

describe('addWords', () => {
  it('teaches jieba a word from the knowledge base, once, in normalised form', () => {
    // 粤商通 (a Guangdong business app) is unknown to jieba's dictionary.
    expect(tokens('粤商通怎么用')).not.toContain('粤商通');
    // Traditional and punctuation are folded as the query side folds them.
    addWords(['粵商通', '粵商通（企業版）', '粤商通']);
    expect(tokens('粤商通怎么用')).toContain('粤商通');
  });

  it('keeps a run of digits whole even where a taught word begins with part of it', () => {
    addWords(['12345热线']);
    expect(tokens('123456789')).toEqual(['123456789']);
    expect(tokens('拨打12345热线')).toEqual(expect.arrayContaining(['12345', '热线']));
  });

  it('leaves long names for jieba to split, so their inner words stay searchable', () => {
    addWords(['省内单位安全技术防范系统设计施工维修资格证企业信息查询']);
    expect(tokens('安全技术防范系统')).toEqual(expect.arrayContaining(['安全', '技术', '防范', '系统']));
  });
});
