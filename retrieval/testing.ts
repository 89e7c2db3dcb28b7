// Shared fakes for retrieval tests: a small hand-picked knowledge base in both
// scripts, and a store around it.
import { KnowledgeStore, openDatabase, type Entry } from '../knowledge/index.ts';
import { faq, matter } from '../test/fixtures.ts';
import type { Embedder } from './types.ts';

/** Realistic entries whose wording the ranking tests below rely on; read them before changing any. */
export function corpus(): Entry[] {
  return [
    matter('passport', {
      name: '普通护照签发', aliases: ['首次申请护照'], themes: ['出入境'], department: '公安厅出入境管理局',
      conditions: '中国公民因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国的，可申请普通护照。',
      materials: [{ name: '居民身份证', form: 'original', originals: 1, copies: 0, required: true }],
    }),
    matter('passport-renew', {
      name: '普通护照换发', themes: ['出入境'], department: '公安厅出入境管理局',
      conditions: '护照有效期即将届满、签证页即将用完或者护照损毁不能使用的，可申请换发。',
    }),
    matter('exit-permit', {
      name: '往来港澳通行证签发', themes: ['出入境'], department: '公安厅出入境管理局',
      // Mentions 护照 three times in its body, never in its name: the body-match entry of the BM25 test.
      conditions: '持护照出境的人员无须办理本证；已持有护照的，凭护照和签证出境；护照遗失的另行补办护照。',
    }),
    matter('id-renew', {
      name: '居民身份证换领', aliases: ['身份证到期换证'], themes: ['户籍'], department: '公安局户政科',
      conditions: '居民身份证有效期满或者证件严重损坏不能辨认的，应当申请换领。',
      materials: [{ name: '居民户口簿', form: 'original', originals: 1, copies: 0, required: true }],
    }),
    matter('id-lost', {
      name: '居民身份证补领', themes: ['户籍'], department: '公安局户政科',
      conditions: '居民身份证丢失的，应当向户口所在地公安机关申请补领。',
    }),
    matter('driver-lost', {
      name: '机动车驾驶证补领', themes: ['交通出行'], department: '公安局交通警察支队',
      conditions: '机动车驾驶证遗失的，驾驶人应当向驾驶证核发地车辆管理所申请补领。',
    }),
    matter('driver-renew', {
      name: '机动车驾驶证有效期满换证', themes: ['交通出行'], department: '公安局交通警察支队',
      conditions: '机动车驾驶人应当于机动车驾驶证有效期满前九十日内，向车辆管理所申请换证。',
    }),
    faq('low-income', {
      question: '如何申請低收入戶資格？', alternates: ['低收入戶要去哪裡申請'], tags: ['社會救助'], department: '臺北市政府社會局',
      answer: '請檢附申請表、戶口名簿影本及最近三個月存摺影本，向戶籍所在地區公所社會課提出申請。',
    }),
    faq('pet-registration', {
      question: '寵物登記要去哪裡辦理？', alternates: ['狗狗晶片登記'], tags: ['動物保護'], department: '臺北市動物保護處',
      answer: '可攜帶寵物至本市特約動物醫院植入晶片並辦理寵物登記。',
    }),
    faq('parking-fee', {
      question: '路边停车费怎么缴纳？', alternates: ['停车缴费单在哪里付款'], tags: ['交通出行'],
      answer: '可持停车缴费单至便利商店缴纳，或使用手机应用程序在线缴费。',
    }),
  ];
}

/** A store holding the corpus, on an in-memory database. */
export function corpusStore(entries: Entry[] = corpus()): KnowledgeStore {
  const store = new KnowledgeStore(openDatabase(':memory:'));
  for (const entry of entries) store.create(entry, { actor: 'test' });
  return store;
}

/** A deterministic stand-in for a sentence-embedding model: a character-hash bag, unit length. */
export function hashEmbedder(dimensions: number, modelId = `hash-${dimensions}`): Embedder {
  return {
    modelId,
    dimensions,
    embed: async (texts) => texts.map((text) => {
      const v = new Float32Array(dimensions);
      for (const ch of text) v[(ch.codePointAt(0) ?? 0) % dimensions]! += 1;
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    }),
  };
}
