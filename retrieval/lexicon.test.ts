import { describe, expect, it } from 'vitest';
import {
  CORRECTION_WEIGHT, EXPANSION_WEIGHT, defaultLexicon, expand, lexiconWords, parseLexicon,
} from './lexicon.ts';

describe('the shipped lexicon (retrieval/lexicon/synonyms.txt)', () => {
  const lexicon = defaultLexicon();

  it('parses without problems: no term in two groups, no one-term group, no dangling typo', () => {
    // Printed by line so a reviewer can fix the file directly.
    expect(lexicon.problems.map((p) => `line ${p.line}: ${p.message}`)).toEqual([]);
  });

  it('has at least 300 groups', () => {
    expect(lexicon.groups.length).toBeGreaterThanOrEqual(300);
  });

  it('puts mainland and Taiwan wording of the same thing in one group', () => {
    const sameGroup = (a: string, b: string): void => {
      expect(lexicon.groupOf(a), `${a} is in the lexicon`).toBeDefined();
      expect(lexicon.groupOf(a), `${a} ~ ${b}`).toBe(lexicon.groupOf(b));
    };
    sameGroup('身份证', '身分证'); // Taiwan writes 身分證
    sameGroup('驾驶证', '驾照');
    sameGroup('摩托车', '机车'); // Taiwan 機車 is a motorcycle
    sameGroup('医保', '健保'); // Taiwan's national health insurance
    sameGroup('补办', '补领');
    sameGroup('落户', '迁入');
    sameGroup('怎么', '咋');
    sameGroup('费用', '多少钱');
    sameGroup('不动产权证书', '房产证');
    sameGroup('出租车', '计程车');
    sameGroup('老年人优待证', '老人卡'); // what citizens call the senior card
    sameGroup('敬老卡', '敬老悠游卡'); // Taipei's senior card is a transit card
    sameGroup('罚款', '红单'); // Taiwan's traffic ticket
    sameGroup('工资', '薪水');
  });

  it('reads common misspellings as the word meant', () => {
    const meant = (typo: string): string | undefined => lexicon.groupOf(typo)?.typos.get(typo);
    expect(meant('底保')).toBe('低保');
    expect(meant('签著')).toBe('签注');
    expect(meant('才料')).toBe('材料');
    expect(meant('证名')).toBe('证明');
  });

  it('keeps different things apart', () => {
    // A passport and a Hong Kong–Macau permit are different documents.
    expect(lexicon.groupOf('护照')).not.toBe(lexicon.groupOf('港澳通行证'));
    // Moving a registration in and out are different matters.
    expect(lexicon.groupOf('迁入')).not.toBe(lexicon.groupOf('迁出'));
    expect(lexicon.groupOf('结婚')).not.toBe(lexicon.groupOf('离婚'));
  });

  it('offers every term and typo as a word for the segmenter', () => {
    const words = new Set(lexiconWords());
    expect(words.has('港澳通行证')).toBe(true);
    expect(words.has('身份正')).toBe(true);
  });
});

describe('parseLexicon', () => {
  it('reports a term that is in two groups, with both lines', () => {
    const lexicon = parseLexicon('# docs\n身份证 身份证件\n\n驾照 驾驶证 | 身份证\n');
    expect(lexicon.problems).toEqual([{ line: 4, message: '"身份证" is already in the group on line 2' }]);
    // The first group keeps the term; the second goes on without it.
    expect(lexicon.groupOf('身份证')?.line).toBe(2);
    expect(lexicon.groupOf('驾照')?.terms).toEqual(['驾照', '驾驶证']);
  });

  it('reports one-term groups and typos pointing nowhere', () => {
    const lexicon = parseLexicon('护照\n身份正 → 身份证\n');
    expect(lexicon.problems.map((p) => p.line)).toEqual([1, 2]);
  });

  it('folds Traditional and full-width terms, so their Simplified twins collide', () => {
    const lexicon = parseLexicon('身份证 身分證\n身分证 身份證件 二代證\n');
    expect(lexicon.problems).toEqual([{ line: 2, message: '"身分证" is already in the group on line 1' }]);
  });

  it('attaches typo lines to the group of their target, even one defined later', () => {
    const lexicon = parseLexicon('身份正 → 身份证\n身份证 身份证件\n');
    expect(lexicon.problems).toEqual([]);
    expect(lexicon.groupOf('身份正')?.canonical).toBe('身份证');
  });
});

describe('expand', () => {
  it('keeps the tokens first at weight 1, then their synonyms at the expansion weight', () => {
    const terms = expand(['补办', '护照']);
    expect(terms.slice(0, 2)).toEqual([
      { term: '补办', weight: 1, from: null },
      { term: '护照', weight: 1, from: null },
    ]);
    expect(terms).toContainEqual({ term: '补领', weight: EXPANSION_WEIGHT, from: '补办' });
    expect(terms).toContainEqual({ term: '普通护照', weight: EXPANSION_WEIGHT, from: '护照' });
  });

  it('gives a misspelt token its intended word at full weight, never adding typos to correct words', () => {
    const fromTypo = expand(['身份正']);
    expect(fromTypo).toContainEqual({ term: '身份证', weight: CORRECTION_WEIGHT, from: '身份正' });
    expect(fromTypo).toContainEqual({ term: '居民身份证', weight: EXPANSION_WEIGHT, from: '身份正' });
    expect(expand(['身份证']).map((t) => t.term)).not.toContain('身份正');
  });

  it('deduplicates: a token is never repeated as its own expansion', () => {
    const terms = expand(['驾照', '驾驶证', '驾照']).map((t) => t.term);
    expect(terms.filter((t) => t === '驾驶证')).toHaveLength(1);
    expect(terms.filter((t) => t === '驾照')).toHaveLength(1);
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('leaves words outside the lexicon alone', () => {
    expect(expand(['绝当品'])).toEqual([{ term: '绝当品', weight: 1, from: null }]);
  });
});
