import { describe, expect, it } from 'vitest';
import type { Entry } from '../knowledge/index.ts';
import { faq, matter } from '../test/fixtures.ts';
import { createAnalyzer } from './analyzer.ts';
import { createExclusiveFit, defaultExclusive, parseExclusive } from './exclusive.ts';
import type { FusedCandidate } from './fusion.ts';
import { analyzeQuery } from './retriever.ts';

const analyzer = createAnalyzer();

describe('parseExclusive', () => {
  it('reads groups of words per line and skips comments and single groups', () => {
    expect(parseExclusive('# comment\n港澳 香港 | 台湾 赴台\n结婚\n')).toEqual([[['港澳', '香港'], ['台湾', '赴台']]]);
  });

  it('ships sets for destinations, school levels, marriage and documents', () => {
    const words = defaultExclusive().flat(2);
    expect(words).toEqual(expect.arrayContaining(['港澳', '台湾', '高中', '高等学校', '结婚', '离婚', '护照', '驾照']));
  });
});

describe('exclusive fit', () => {
  const fit = createExclusiveFit(analyzer);
  // A near-tie as dense vectors make it: the Hong Kong and Macao endorsement a little ahead.
  const entries = new Map<string, Entry>([
    ['hk', matter('hk', { name: '办理往来港澳通行证团队游签注' })],
    ['tw', matter('tw', { name: '办理往来台湾通行证团队旅游签注' })],
    ['both', matter('both', { name: '港澳台居民居住证申领' })],
    ['divorce', faq('divorce', { question: '离婚登记要带什么？' })],
  ]);
  const ranked = (text: string, ids: string[]): string[] => {
    const fused: FusedCandidate[] = ids.map((entryId, i) => ({ entryId, score: 0.62 - i * 0.01, stages: {} }));
    return fit.rerank(fused, analyzeQuery(analyzer, text), (id) => entries.get(id)).map((c) => c.entryId);
  };

  it('puts an entry about another place below one about the place the citizen named', () => {
    expect(ranked('赴台团队游签注怎么办', ['hk', 'tw'])).toEqual(['tw', 'hk']);
    expect(ranked('去澳门跟团游要办什么签注', ['tw', 'hk'])).toEqual(['hk', 'tw']);
  });

  it('holds nothing against an entry that names both, or when the citizen names both or neither', () => {
    expect(ranked('台湾同胞来广州办居住证', ['both', 'tw'])).toEqual(['both', 'tw']);
    expect(ranked('港澳和台湾的签注有什么不同', ['hk', 'tw'])).toEqual(['hk', 'tw']);
    expect(ranked('团队游签注怎么办', ['hk', 'tw'])).toEqual(['hk', 'tw']);
  });

  it('tells one document from another: renewing a passport is not renewing a disability card', () => {
    entries.set('disability', faq('disability', { question: '残疾证快到期了怎么换？' }));
    entries.set('passport', faq('passport', { question: '护照快过期了还能出国吗？' }));
    expect(ranked('护照过期了怎么换', ['disability', 'passport'])).toEqual(['passport', 'disability']);
  });

  it('tells marriage from divorce in an FAQ question too', () => {
    entries.set('marriage', faq('marriage', { question: '结婚登记要带什么？' }));
    expect(ranked('我们要去办结婚登记', ['divorce', 'marriage'])).toEqual(['marriage', 'divorce']);
  });
});
