import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.ts';
import type { Entry } from '../knowledge/index.ts';
import { Bm25Defaults, Bm25Index, type Bm25Options } from './bm25.ts';
import { charBigrams } from './segment.ts';
import { analyzeQuery } from './retriever.ts';
import { faq, matter } from '../test/fixtures.ts';
import { corpus } from './testing.ts';

const analyzer = createAnalyzer();

function build(): Bm25Index {
  const index = new Bm25Index(analyzer);
  index.add(corpus());
  return index;
}

async function ids(index: Bm25Index, text: string): Promise<string[]> {
  return (await index.search(analyzeQuery(analyzer, text), 10)).map(([id]) => id);
}

/** The ranking of a query over a few entries, under other options. */
async function rankedWith(options: Partial<Bm25Options>, entries: Entry[], text: string): Promise<string[]> {
  const index = new Bm25Index(analyzer, options);
  index.add(entries);
  return ids(index, text);
}

describe('Bm25Index', () => {
  it('ranks a name match above a body match', async () => {
    const ranked = await ids(build(), '护照');
    // 1–2: the two matters named 普通护照…; 3: 往来港澳通行证签发, which says 护照 four times but only in its conditions.
    expect(ranked.slice(0, 2).sort()).toEqual(['passport', 'passport-renew']);
    expect(ranked[2]).toBe('exit-permit');
  });

  it('prefers the entry whose name holds more of the query', async () => {
    const ranked = await ids(build(), '护照换发');
    // 1: 普通护照换发 holds both words in its name; 2: 普通护照签发 only 护照.
    expect(ranked.slice(0, 2)).toEqual(['passport-renew', 'passport']);
  });

  it('weighs the matter\'s object above words of operation', async () => {
    const entries = [
      matter('radio-lost', { name: '无线电台执照遗失补办' }),
      matter('senior-card', { name: '敬老卡申领' }),
    ];
    const search = (actionWeight: number): Promise<string[]> => rankedWith({ actionWeight }, entries, '敬老卡遗失补办');
    // 1: the senior card, the object asked about; 2: the radio licence, which shares only 遗失补办.
    expect(await search(Bm25Defaults.actionWeight)).toEqual(['senior-card', 'radio-lost']);
    // At full weight the two operation words outweigh the one object word.
    expect(await search(1)).toEqual(['radio-lost', 'senior-card']);
  });

  it('weighs the matter\'s object above the office one goes to', async () => {
    const entries = [
      faq('seal', { question: '应如何办理印鉴证明' }),
      faq('office-proof', { question: '同性伴侣注记后户政事务所会提供证明文件吗' }),
    ];
    const search = (actionWeight: number): Promise<string[]> => rankedWith({ actionWeight }, entries, '我要办印鉴证明 要带什么去户政事务所');
    // 1: the seal certificate asked about; 2: the FAQ that shares the office and 证明.
    expect(await search(Bm25Defaults.actionWeight)).toEqual(['seal', 'office-proof']);
    // At full weight the office's words outweigh the object.
    expect(await search(1)).toEqual(['office-proof', 'seal']);
  });

  it('reads a word no entry uses through its synonyms', async () => {
    const entries = [
      matter('senior-card', { name: '老年人优待证' }),
      matter('bank-card', { name: '银行卡挂失' }),
    ];
    const search = (unseenExpansionWeight: number): Promise<string[]> => rankedWith({ unseenExpansionWeight }, entries, '老人卡挂失');
    // 1: the senior card, which 老人卡 means though no entry says it; 2: the bank card, which shares only the operation 挂失.
    expect(await search(Bm25Defaults.unseenExpansionWeight)).toEqual(['senior-card', 'bank-card']);
    // At the weight of an ordinary synonym the operation word wins.
    expect(await search(Bm25Defaults.expansionWeight)).toEqual(['bank-card', 'senior-card']);
  });

  it('lets the facet asked about tell apart FAQs on one subject', async () => {
    const entries = [
      faq('training-who', { question: '托育人员训练资格' }),
      faq('training-fee', { question: '托育人员专业训练课程的收费标准' }),
    ];
    const search = (facetWeight: number): Promise<string[]> => rankedWith({ facetWeight }, entries, '托育人员训练要多少钱');
    // 1: the fee question, as 多少钱 is 收费标准; 2: the eligibility one, shorter and so closer on the subject alone.
    expect(await search(Bm25Defaults.facetWeight)).toEqual(['training-fee', 'training-who']);
    // Without the facet wording only the subject counts.
    expect(await search(0)).toEqual(['training-who', 'training-fee']);
  });

  it('matches a partial name through character bigrams when segmentation differs', async () => {
    const ranked = await ids(build(), '驾驶证补');
    // 1: 机动车驾驶证补领 shares the bigrams 驾驶, 驶证, 证补; 2: the renewal shares only 驾驶证.
    expect(ranked.slice(0, 2)).toEqual(['driver-lost', 'driver-renew']);
  });

  it('finds Traditional entries with Simplified queries and the other way round', async () => {
    const index = build();
    // The analyzer folds both scripts to Simplified on both sides.
    expect((await ids(index, '低收入户怎么申请'))[0]).toBe('low-income');
    expect((await ids(index, '路邊停車費怎麼繳'))[0]).toBe('parking-fee');
  });

  it('expands lexicon synonyms at a lower weight than typed words', async () => {
    const index = build();
    const terms = index.queryTerms(analyzeQuery(analyzer, '驾照'));
    // 驾照 is typed; 驾驶证 comes from the lexicon group 驾驶证 驾照 机动车驾驶证 …
    expect(terms.find((t) => t.term === '驾照')).toMatchObject({ kind: 'word', weight: 1 });
    const synonym = terms.find((t) => t.term === '驾驶证');
    expect(synonym?.kind).toBe('synonym');
    expect(synonym!.weight).toBeLessThan(1);
    expect((await ids(index, '驾照'))[0]).toMatch(/^driver-/);
  });

  it('forgets removed entries and picks up replaced ones', async () => {
    const index = build();
    index.remove(['passport', 'passport-renew']);
    expect((await ids(index, '护照'))[0]).toBe('exit-permit');
    index.add([matter('passport', { name: '外交护照签发' })]);
    expect((await ids(index, '外交护照'))[0]).toBe('passport');
    expect(index.size).toBe(9);
  });

  it('stays correct after compacting many removed documents', async () => {
    const index = new Bm25Index(analyzer);
    const base = corpus();
    for (let round = 0; round < 30; round++) index.add(base);
    expect(index.size).toBe(base.length);
    expect((await ids(index, '宠物登记'))[0]).toBe('pet-registration');
  });

  it('reads a pair no entry uses as a homophone slip, but not an ordinary word', async () => {
    const entries = [
      matter('company', { name: '有限责任公司注册登记' }),
      matter('veteran', { name: '退役士兵职业教育报名' }),
      matter('school-bus', { name: '校车驾驶资格许可' }),
      matter('car', { name: '小型汽车驾驶证申领' }),
    ];
    // 注测 and 抱名 are nobody's words: the input method put 测 for 册 and 抱 for 报.
    expect((await rankedWith({}, entries, '注测要啥资料'))[0]).toBe('company');
    expect((await rankedWith({}, entries, '抱名'))[0]).toBe('veteran');
    // 小车 is a word of its own, though 校车 sounds the same.
    expect(await rankedWith({}, entries, '小车')).not.toContain('school-bus');
  });

  it('cuts text into overlapping bigrams per run', () => {
    expect(charBigrams('护照 换发')).toEqual(['护照', '换发']);
    expect(charBigrams('驾驶证')).toEqual(['驾驶', '驶证']);
  });
});
