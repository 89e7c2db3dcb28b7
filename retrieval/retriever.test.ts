import { describe, expect, it } from 'vitest';
import { faq } from '../test/fixtures.ts';
import { createAnalyzer } from './analyzer.ts';
import { createRetriever, type Retriever } from './retriever.ts';
import { corpusStore } from './testing.ts';

const analyzer = createAnalyzer();

async function top(retriever: Retriever, text: string, stages?: ('bm25' | 'dense')[]): Promise<string[]> {
  return (await retriever.search(text, { k: 5, ...(stages ? { stages } : {}) })).candidates.map((c) => c.entryId);
}

describe('createRetriever', () => {
  it('returns candidates with each stage’s rank and score, and timings', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    const result = await retriever.search('普通护照换发');
    expect(result.candidates[0]).toMatchObject({ entryId: 'passport-renew', title: '普通护照换发' });
    expect(result.candidates[0]!.stages.bm25).toMatchObject({ rank: 1 });
    expect(result.candidates[0]!.stages.dense).toMatchObject({ rank: 1 });
    expect(Object.keys(result.timings)).toEqual(expect.arrayContaining(['sync', 'analyze', 'bm25', 'dense', 'fusion']));
    expect(result.query.tokens).toContain('护照');
  });

  it('finds the same entry for Traditional and Simplified queries', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    // 低收入戶 is stored in Traditional; 驾驶证 in Simplified.
    expect((await top(retriever, '低收入户资格怎么申请'))[0]).toBe('low-income');
    expect((await top(retriever, '低收入戶資格怎麼申請'))[0]).toBe('low-income');
    expect((await top(retriever, '機動車駕駛證補領'))[0]).toBe('driver-lost');
    const result = await retriever.search('寵物登記');
    expect(result.query.normalized.script).toBe('traditional');
    expect(result.candidates[0]!.entryId).toBe('pet-registration');
  });

  it('the builtin dense stage finds a typo’d query that shares no word or bigram with the entry', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    // 驾驰证 (驰 for 驶) is in no lexicon typo line: BM25 has nothing to match…
    expect((await top(retriever, '驾驰证', ['bm25'])).filter((id) => id.startsWith('driver-'))).toEqual([]);
    // …while the dense stage's character n-grams (驾, 证) put both driving-licence matters first.
    expect((await top(retriever, '驾驰证', ['dense'])).slice(0, 2).sort()).toEqual(['driver-lost', 'driver-renew']);
    // And the fused ranking keeps them on top.
    expect((await top(retriever, '驾驰证'))[0]).toMatch(/^driver-/);
  });

  it('follows creates, edits and deletes in the store without a rebuild', async () => {
    const store = corpusStore();
    const retriever = await createRetriever({}, { store, analyzer });
    const built = retriever.info().dense;

    store.create(faq('lantern', { question: '元宵灯会在哪里举办？', answer: '今年灯会在中山公园举办。' }), { actor: 'staff' });
    expect((await top(retriever, '元宵灯会在哪里'))[0]).toBe('lantern');
    expect(retriever.entry('lantern')?.kind).toBe('faq');

    const edited = faq('lantern', { question: '中秋赏月活动在哪里？', answer: '中秋赏月活动在滨江公园。' });
    store.update('lantern', edited, { actor: 'staff' });
    expect((await top(retriever, '中秋赏月活动'))[0]).toBe('lantern');
    expect(await top(retriever, '元宵灯会', ['bm25'])).not.toContain('lantern');

    store.remove('lantern', { actor: 'staff' });
    expect(await top(retriever, '中秋赏月活动')).not.toContain('lantern');
    expect(retriever.entry('lantern')).toBeNull();
    expect(retriever.size()).toBe(10);
    // The same dense index, edited in place.
    expect(retriever.info().dense).toBe(built);
    expect(built?.source).toBe('built');
  });

  it('confidence rises with match quality: exact question > paraphrase > unrelated', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    const exact = await retriever.search('寵物登記要去哪裡辦理？');
    const paraphrase = await retriever.search('家里的狗要去哪登记');
    const unrelated = await retriever.search('明天股票会涨吗');
    expect(exact.candidates[0]!.entryId).toBe('pet-registration');
    expect(paraphrase.candidates[0]!.entryId).toBe('pet-registration');
    expect(exact.confidence).toBeGreaterThan(paraphrase.confidence);
    expect(paraphrase.confidence).toBeGreaterThan(unrelated.confidence);
    expect(exact.confidence).toBeGreaterThan(0.8);
    expect(unrelated.confidence).toBeLessThan(0.2);
  });

  it('takes an alias said as a phrase as naming its matter, and not the same words scattered', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    // 身份证到期换证, with one character between two of its words.
    const phrase = await retriever.search('身份证到期了换证');
    const scattered = await retriever.search('身份证的事，到期前后能不能换证');
    expect(phrase.candidates[0]!.entryId).toBe('id-renew');
    expect(scattered.candidates[0]!.entryId).toBe('id-renew');
    expect(phrase.features.titleCoverage).toBe(1);
    expect(scattered.features.titleCoverage).toBeLessThan(1);
  });

  it('searches only the stages asked for, and fuses with either method', async () => {
    for (const fusion of ['rrf', 'weighted'] as const) {
      const retriever = await createRetriever({ fusion }, { store: corpusStore(), analyzer });
      const bm25Only = await retriever.search('居民身份证补领', { stages: ['bm25'] });
      expect(bm25Only.candidates[0]).toMatchObject({ entryId: 'id-lost' });
      expect(bm25Only.candidates.every((c) => c.stages.dense === undefined)).toBe(true);
      const hybrid = await retriever.search('居民身份证补领');
      // 1: 居民身份证补领 by name; 2: 居民身份证换领, same document type, other procedure.
      expect(hybrid.candidates.slice(0, 2).map((c) => c.entryId)).toEqual(['id-lost', 'id-renew']);
      expect(hybrid.candidates[0]!.score).toBeLessThanOrEqual(1);
    }
  });

  it('tells whether a query says nothing an entry\'s names do not, synonyms counted', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    expect(retriever.restates(retriever.analyze('怎么补办'), 'id-lost')).toBe(true); // 补办 for 补领
    expect(retriever.restates(retriever.analyze('护照怎么补办'), 'id-lost')).toBe(false);
    expect(retriever.restates(retriever.analyze('要带什么'), 'id-lost')).toBe(false); // no words of its own
  });

  it('finds the same for a question with the citizen\'s ID or phone number in it', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    const plain = await retriever.search('身份证丢了怎么补领');
    const withId = await retriever.search('身份证440106199001011234丢了怎么补领，电话13812345678');
    expect(withId.candidates.map((c) => c.entryId)).toEqual(plain.candidates.map((c) => c.entryId));
    expect(withId.confidence).toBeCloseTo(plain.confidence, 2); // 电话 is a word of its own
  });

  it('answers nothing for a query with no content words', async () => {
    const retriever = await createRetriever({}, { store: corpusStore(), analyzer });
    const result = await retriever.search('？？');
    expect(result.candidates).toEqual([]);
    expect(result.confidence).toBe(0);
  });
});
