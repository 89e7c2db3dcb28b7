// Conversations as transcripts through the bot's one door, over the demo
// knowledge base plus a few hand-made matters where a case needs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from './index.ts';
import type { Stack } from '../cli/stack.ts';
import { testStack } from '../test/harness.ts';
import { faq, matter } from '../test/fixtures.ts';

let stack: Stack;
let sessionNo = 0;

/** A fresh conversation: say() sends one line and returns the reply. */
function conversation(): (text: string) => Promise<Reply> {
  const session = `t${++sessionNo}`;
  return (text) => stack.bot.handleMessage({ session, channel: 'test', text });
}

/** The reply to `then`, said in a new conversation right after `first`. */
async function after(first: string, then: string): Promise<Reply> {
  const say = conversation();
  await say(first);
  return say(then);
}

const variant = (id: string, city: string, material: string) => matter(id, {
  name: `测绘资质认定（${city}）`, baseName: '测绘资质认定', variant: city, region: `广东省${city}市`,
  department: `${city}市规划和自然资源局`,
  materials: [{ name: material, form: 'original', originals: 1, copies: 0, required: true }],
  fees: { status: 'not_recorded', items: [] },
});

// Variants told apart by who applies: all handled by one Guangzhou office, so
// region and address name 广州 for every one of them; only one is for 广州户籍.
const endorsement = (id: string, applicants: string, material: string) => matter(id, {
  name: `团队游签注办理(${applicants})`, baseName: '团队游签注办理', variant: applicants, region: '广东省广州市',
  department: '广州市公安局出入境管理支队', locations: [{ address: '广州市越秀区解放南路155号' }],
  materials: [{ name: material, form: 'original', originals: 1, copies: 0, required: true }],
});

// Sub-cases of one certificate: a first application, a lost one, a damaged one.
const guardCard = (id: string, subCase: string, material: string) => matter(id, {
  name: `护林员证核发(${subCase})`, baseName: '护林员证核发', variant: subCase, region: '广东省',
  materials: [{ name: material, form: 'original', originals: 1, copies: 0, required: true }],
});

// Variants told apart by applicant (港澳 vs 台湾), by where they are handled
// (the province, or one city), and by a sub-case the name adds (海洋工程).
const doctor = (id: string, who: string, condition: string) => matter(id, {
  name: `${who}中医师执业认定`, baseName: '境外中医师执业认定', region: '广东省', conditions: condition,
});
const lawFirm = (id: string, region: string, address: string) => matter(id, {
  name: '律所开业许可', baseName: '律所开业许可', region, locations: [{ address }],
});
const review = (id: string, name: string, days: number) => matter(id, {
  name, baseName: '环评文件审批', region: '广东省', timeLimits: { legal: { value: days, unit: 'working_day', text: `${days}个工作日` }, promised: null },
});

beforeAll(async () => {
  stack = await testStack();
  stack.store.create(doctor('d-hkmo', '港澳', '持有港澳永久性居民身份证'), { actor: 'test' });
  stack.store.create(doctor('d-tw', '台湾', '持有台湾居民来往大陆通行证'), { actor: 'test' });
  stack.store.create(lawFirm('f-province', '广东省', '广州市越秀区省司法厅大楼'), { actor: 'test' });
  stack.store.create(lawFirm('f-city', '广东省广州市', '广州市天河区市司法局'), { actor: 'test' });
  stack.store.create(review('r-plain', '环评报告书审批', 30), { actor: 'test' });
  stack.store.create(review('r-sea', '海洋工程环评报告书审批', 60), { actor: 'test' });
  // Two regional variants of one catalogue matter whose materials differ, and whose fees do not.
  stack.store.create(variant('v-gz', '广州', '广州申请表'), { actor: 'test' });
  stack.store.create(variant('v-sz', '深圳', '深圳申请表'), { actor: 'test' });
  stack.store.create(endorsement('e-province', '广东省内户籍居民', '省内户籍证明'), { actor: 'test' });
  stack.store.create(endorsement('e-city', '广州市户籍居民', '广州户口簿'), { actor: 'test' });
  stack.store.create(endorsement('e-nationwide', '符合全国通办的户籍居民', '居住证'), { actor: 'test' });
  stack.store.create(guardCard('g-first', '首次申领', '培训合格证明'), { actor: 'test' });
  stack.store.create(guardCard('g-lost', '遗失补发', '遗失声明'), { actor: 'test' });
  stack.store.create(guardCard('g-damaged', '损毁换发', '损毁的原证'), { actor: 'test' });
  stack.store.create(faq('dup-a', { question: '养犬登记证遗失了怎么补办？', answer: '到所在区的动物防疫机构补办。' }), { actor: 'test' });
  stack.store.create(faq('dup-b', { question: '养犬登记证遗失了怎么补办？', answer: '也可在网上申请补办。' }), { actor: 'test' });
  await stack.retriever.refresh();
});

afterAll(async () => {
  await stack.close();
});

describe('answering the facet asked', () => {
  it('lists materials as a numbered checklist with original/copy counts', async () => {
    const reply = await conversation()('身份证丢了补办要带什么材料');
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'demo-id-card-loss', facet: 'materials' });
    expect(reply.text).toMatch(/\n1\. /);
    expect(reply.card).toMatchObject({ type: 'checklist', entryId: 'demo-id-card-loss' });
    expect(reply.quickReplies).toContain('一次性告知');
  });

  it('gives fees with their basis, 不收费, or says no fee is recorded — never an invented amount', async () => {
    expect((await conversation()('身份证丢了补办要多少钱')).text).toMatch(/40元（依据：/);
    expect((await conversation()('结婚登记收费吗')).text).toContain('不收费');
    const unrecorded = await conversation()('深圳测绘资质认定收费吗');
    expect(unrecorded).toMatchObject({ entryId: 'v-sz', facet: 'fees' });
    expect(unrecorded.text).toContain('未登记收费信息，请以窗口为准');
  });

  it('reads a closing 能…吗 as asking whether one may: the conditions, unless it names a narrower part', async () => {
    expect(await conversation()('孩子是9月5号生的，今年秋天能上一年级吗')).toMatchObject({ entryId: 'demo-faq-175', facet: 'conditions' });
    expect(await after('居住证怎么办', '外地户口也能办吗')).toMatchObject({ entryId: 'demo-residence-permit', facet: 'conditions' });
    expect(await conversation()('居住证能网上办吗')).toMatchObject({ entryId: 'demo-residence-permit', facet: 'online' });
  });

  it('reads a closing 要…吗 after a matter as asking whether one must: that matter\'s conditions', async () => {
    const both = await after('我想登记结婚', '要兩個人一起去嗎');
    expect(both).toMatchObject({ kind: 'answer', entryId: 'demo-marriage-registration', facet: 'conditions' });
    expect(both.text).toContain('雙方須共同親自');
  });

  it('says which question an FAQ of another matter answers, so it is not taken for the matter under discussion', async () => {
    const medical = await after('驾照丢了', '要体检吗');
    const faq = stack.retriever.entry(medical.entryId!);
    expect(faq?.kind === 'faq' && faq.matterId).not.toBe('demo-driving-licence-loss');
    if (faq?.kind !== 'faq') return;
    expect(medical.text).toBe(`关于“${faq.question}”：\n${faq.answer}`);
    expect((await conversation()('换驾照需要体检吗')).text).toBe(faq.answer);
  });

  it('answers just a matter name with an overview card and the facets as quick replies', async () => {
    const reply = await conversation()('结婚登记');
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'demo-marriage-registration', facet: 'overview' });
    expect(reply.card).toMatchObject({ type: 'matter' });
    expect(reply.quickReplies).toEqual(expect.arrayContaining(['需要什么材料', '办理地点']));
  });

  it('answers an FAQ entry with its own answer and follow-up buttons', async () => {
    const reply = await conversation()('身份证在外地丢了能在示例市补办吗');
    expect(reply.kind).toBe('answer');
    expect(reply.entryId).toMatch(/^demo-faq-/);
    expect(reply.facet).toBe('conditions'); // 能…补办吗: whether one may
    const faq = stack.retriever.entry(reply.entryId!);
    expect(faq?.kind).toBe('faq');
    if (faq?.kind !== 'faq') return;
    expect(reply.text).toBe(faq.answer);
    expect(reply.quickReplies).toEqual(faq.followUps.length > 0 ? faq.followUps : ['转人工']);
  });
});

describe('context across turns', () => {
  it("answers within one matter's family when only its own entries come close", async () => {
    const reply = await conversation()('刚提了辆新车，要上牌照');
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'demo-vehicle-registration', facet: 'overview' });
    // Less sure than the answer threshold, but nothing else comes close (family confidence over Policy.familyAnswer).
    expect(await conversation()('个体执照')).toMatchObject({ kind: 'answer', entryId: 'demo-individual-business' });
    // An FAQ whose only close rival is its own matter's guide: the FAQ, not a question.
    expect(await conversation()('4S店代办上牌收费太贵了，自己去上牌要多少钱'))
      .toMatchObject({ kind: 'answer', entryId: 'demo-faq-076' });
    // A plain request is the matter's, though an FAQ asking something narrower leads by a hair; the question is the FAQ's.
    expect(await conversation()('驾照到期了要换')).toMatchObject({ kind: 'answer', entryId: 'demo-driving-licence-renewal' });
    expect(await conversation()('驾照到期了能在外地换吗')).toMatchObject({ kind: 'answer', entryId: 'demo-faq-064' });
    // A bare word whose one matter's FAQs happen to lead is still asked about.
    expect(await conversation()('想了解一下补贴')).toMatchObject({ kind: 'clarify', entryId: null });
  });

  it('answers follow-ups for the matter under discussion, and switches when a new matter is named', async () => {
    const say = conversation();
    expect(await say('我想办护照')).toMatchObject({ entryId: 'demo-passport', facet: 'overview' });
    expect(await say('那要多少钱')).toMatchObject({ entryId: 'demo-passport', facet: 'fees' });
    expect(await say('在哪办')).toMatchObject({ entryId: 'demo-passport', facet: 'location' });
    expect(await say('要几天')).toMatchObject({ entryId: 'demo-passport', facet: 'time_limit' });
    expect(await say('那结婚登记要带什么')).toMatchObject({ entryId: 'demo-marriage-registration', facet: 'materials' });
    expect(await say('要钱吗')).toMatchObject({ entryId: 'demo-marriage-registration', facet: 'fees' });
  });

  it('answers the matter under discussion asked again in other words, which alone would find every 补办', async () => {
    expect(await after('身份证丢了', '怎么补办')).toMatchObject({ kind: 'answer', entryId: 'demo-id-card-loss' });
    expect((await after('身份证丢了', '护照怎么补办')).entryId).not.toBe('demo-id-card-loss');
  });

  it('does not answer a question that retrieval places on another matter for the matter under discussion', async () => {
    const say = conversation();
    await say('我想办护照');
    // Unsure which 团队游签注 is meant, but sure it is not the passport: the question is asked back, not answered for the passport.
    const asked = await say('团队游签注能网上办吗');
    expect(asked).toMatchObject({ kind: 'clarify', entryId: null });
    expect(asked.candidates.map((c) => c.entryId)).toEqual(expect.arrayContaining(['e-province', 'e-city']));
    // Even when retrieval finds nothing it is sure of: 签注 is a word of another matter's name.
    expect(await after('我想办护照', '办个签注要带什么')).not.toMatchObject({ entryId: 'demo-passport' });
    // The old matter among the message's candidates, far below another (租房提取 0.63 against 购房提取 0.80), is no reason to stay with it.
    expect(await after('租房提取公积金要什么材料', '买房提取要什么')).not.toMatchObject({ entryId: 'demo-provident-fund-withdrawal-rent' });
    // A follow-up in words of its own, naming no other matter, stays with it however unsure retrieval is.
    const again = conversation();
    await again('我想办护照');
    expect(await again('小孩的要带什么')).toMatchObject({ entryId: 'demo-passport', facet: 'materials' });
    // Its own FAQ for people registered elsewhere answers best; the guide's conditions would do.
    expect(['demo-passport', 'demo-faq-035']).toContain((await again('外地人能办吗')).entryId);
    expect(await after('居住证怎么办', '外地户口可以吗')).toMatchObject({ entryId: 'demo-residence-permit', facet: 'conditions' });
    // A new request in words that only ask for a matter is not a part of the old one; a bare "我想办" still is.
    expect(await after('护照', '我想买个房子')).not.toMatchObject({ entryId: 'demo-passport' });
    expect(await after('护照', '我想办')).toMatchObject({ entryId: 'demo-passport', facet: 'overview' });
  });

  it('does not pick one of several variants that answer alike when unsure of the matter itself', async () => {
    // Same fees for both, so which variant would not matter; but 测量 is not 测绘, and the matter itself is in doubt.
    expect(await conversation()('测绘资质认定收费吗')).toMatchObject({ kind: 'answer' });
    expect(await conversation()('测量资质收费吗')).toMatchObject({ kind: 'clarify', entryId: null });
  });

  it('asks about "那…呢" naming another matter when unsure of it, keeping and saying the facet, instead of answering the old one', async () => {
    const say = conversation();
    expect(await say('租房提取公积金要什么材料')).toMatchObject({ entryId: 'demo-provident-fund-withdrawal-rent', facet: 'materials' });
    const asked = await say('买房提取呢');
    // The question back says which part it will answer: only the matter is in doubt.
    expect(asked).toMatchObject({ kind: 'clarify', entryId: null, facet: 'materials' });
    expect(asked.text).toContain('需要什么材料');
    expect(asked.candidates[0]!.entryId).toBe('demo-provident-fund-withdrawal-purchase');
    expect(await say('1')).toMatchObject({ kind: 'answer', entryId: 'demo-provident-fund-withdrawal-purchase', facet: 'materials' });
  });
});

describe('context deciding a tie', () => {
  it('answers a question torn between matters for the one under discussion, not a request about nothing of ours', async () => {
    const say = conversation();
    await say('社保卡丢了');
    // Alone, 怎么挂失 is as much 身份证's FAQ as 社保卡's.
    expect(['demo-social-security-card-loss', 'demo-faq-083']).toContain((await say('怎么挂失')).entryId);
    expect(await after('小孩上小学报名要什么材料', '帮我写篇二年级作文，题目是我的妈妈')).toMatchObject({ entryId: null });
  });
});

describe('ties', () => {
  it('asks between two matters scoring alike rather than guessing one', async () => {
    const reply = await conversation()('公积金提取');
    expect(reply).toMatchObject({ kind: 'clarify', entryId: null });
    expect(reply.candidates.slice(0, 2).map((c) => c.entryId).sort())
      .toEqual(['demo-provident-fund-withdrawal-purchase', 'demo-provident-fund-withdrawal-rent']);
  });
});

describe('answering an open question', () => {
  it('takes a message that comes near none of the options for a message of its own, and one saying who the citizen is for a choice', async () => {
    const say = conversation();
    expect(await say('公积金提取')).toMatchObject({ kind: 'clarify' });
    // Read with the question, the weather came back as the same question again.
    const weather = await say('今天天气怎么样');
    expect(weather).toMatchObject({ kind: 'fallback', entryId: null });
    expect(weather.candidates.map((c) => c.entryId)).not.toContain('demo-provident-fund-withdrawal-rent');
    // Saying who one is describes the case asked about, however sure retrieval is of the words alone.
    const pension = conversation();
    expect(await pension('养老金怎么领')).toMatchObject({ kind: 'clarify' });
    expect(await pension('我是企业职工')).not.toMatchObject({ entryId: 'demo-company-registration' });
    const card = conversation();
    expect(await card('社保卡')).toMatchObject({ kind: 'clarify' });
    expect(await card('我是第一次办')).toMatchObject({ kind: 'answer', entryId: 'demo-social-security-card' });
    // A refinement still chooses.
    const again = conversation();
    expect(await again('身份证')).toMatchObject({ kind: 'clarify' });
    expect(await again('丢了的那个')).toMatchObject({ kind: 'answer', entryId: 'demo-id-card-loss' });
  });

  it("answers a facet asked after a clarification from the one guide among its options", async () => {
    const say = conversation();
    expect(await say('港澳')).toMatchObject({ kind: 'clarify' });
    expect(await say('要准备什么')).toMatchObject({ kind: 'answer', entryId: 'demo-hk-macau-permit', facet: 'materials' });
  });

  it('answers the facet an option named in the reply asks, and 一次性告知 for the one guide offered', async () => {
    const say = conversation();
    expect(await say('港澳')).toMatchObject({ kind: 'clarify' });
    expect(await say('往来港澳通行证及签注要带什么')).toMatchObject({ kind: 'answer', entryId: 'demo-hk-macau-permit', facet: 'materials' });
    expect(await after('港澳', '一次性告知')).toMatchObject({ kind: 'answer', entryId: 'demo-hk-macau-permit', facet: 'overview' });
  });

  it('reads a refinement together with the question it answers, and takes the option it points to', async () => {
    const say = conversation();
    expect(await say('社保卡')).toMatchObject({ kind: 'clarify' });
    expect(await say('丢了要补办')).toMatchObject({ kind: 'answer', entryId: 'demo-social-security-card-loss' });
    // A message naming a matter of its own is a new question, not a choice.
    const other = conversation();
    expect(await other('社保卡')).toMatchObject({ kind: 'clarify' });
    expect((await other('驾照也丢了')).entryId).not.toBe('demo-social-security-card-loss');
  });

  it('takes the offered guide whose sub-case the answer describes, unless it names something else', async () => {
    const say = conversation();
    expect(await say('我要办社保卡')).toMatchObject({ kind: 'clarify' });
    expect(await say('头一次办，之前没有过')).toMatchObject({ kind: 'answer', entryId: 'demo-social-security-card' });
    const other = conversation();
    expect(await other('我要办社保卡')).toMatchObject({ kind: 'clarify' });
    expect((await other('户口本找不到了')).entryId).not.toBe('demo-social-security-card-loss');
  });

  it('keeps the topics a fallback lists open: their number picks one', async () => {
    const say = conversation();
    const fallback = await say('户籍方面的问题想咨询');
    expect(fallback).toMatchObject({ kind: 'fallback' });
    expect(fallback.text).toMatch(/\n2\. /);
    expect(await say('2')).toMatchObject({ kind: 'answer', entryId: fallback.candidates[1]!.entryId });
    // The part asked about is kept, and said: the topic picked is answered on it.
    const asked = conversation();
    const unsure = await asked('户籍方面的事要带什么材料');
    expect(unsure).toMatchObject({ kind: 'fallback', facet: 'materials' });
    expect(unsure.text).toContain('选定后为您解答「需要什么材料」');
    const guide = unsure.candidates.find((c) => c.entryId === 'demo-newborn-registration');
    expect(await asked(String(unsure.candidates.indexOf(guide!) + 1))).toMatchObject({ entryId: guide!.entryId, facet: 'materials' });
  });
});

describe('life events', () => {
  it('lists the matters of a life event asked as a whole, main ones first, and takes a number', async () => {
    const say = conversation();
    const asked = await say('孩子出生了要办什么');
    expect(asked).toMatchObject({ kind: 'clarify', entryId: null });
    expect(asked.text).toContain('孩子出生后通常需要办理以下事项');
    expect(asked.candidates[0]!.entryId).toBe('demo-newborn-registration');
    expect(asked.candidates.map((c) => c.entryId)).toContain('demo-social-security-card');
    expect(await say('1')).toMatchObject({ kind: 'answer', entryId: 'demo-newborn-registration' });
    // One matter named, retrieval sure of it: that matter is answered.
    expect(await conversation()('结婚登记要办什么手续')).toMatchObject({ kind: 'answer', entryId: 'demo-marriage-registration' });
  });
});

describe('near-identical matters', () => {
  it('asks one numbered question when the variants differ in what was asked, and takes "2"', async () => {
    const say = conversation();
    const ask = await say('测绘资质认定要带什么材料');
    expect(ask).toMatchObject({ kind: 'clarify', entryId: null });
    expect(ask.text).toMatch(/1\. .*\n2\. /);
    const second = ask.candidates[1]!.entryId;
    expect(await say('2')).toMatchObject({ kind: 'answer', entryId: second, facet: 'materials' });
  });

  it('takes 第二个 or the distinguishing word as the answer', async () => {
    const say = conversation();
    const ask = await say('测绘资质认定需要什么材料');
    expect(await say('第二个')).toMatchObject({ entryId: ask.candidates[1]!.entryId });
    expect(await after('测绘资质认定需要什么材料', '深圳')).toMatchObject({ entryId: 'v-sz', facet: 'materials' });
  });

  it('does not ask when the variants give the same answer to what was asked', async () => {
    const reply = await conversation()('测绘资质认定收费吗');
    expect(reply.kind).toBe('answer');
    expect(['v-gz', 'v-sz']).toContain(reply.entryId);
  });

  it('remembers the region and prefers its variant', async () => {
    const say = conversation();
    expect((await say('我在深圳')).text).toContain('深圳');
    expect(await say('测绘资质认定要带什么材料')).toMatchObject({ kind: 'answer', entryId: 'v-sz' });
  });

  it('promises guides for the region the citizen gives only when the knowledge base holds some', async () => {
    // The demo and the test variants serve 示例市 and cities of 广东; none serves 北京.
    const away = await conversation()('我在北京');
    expect(away.text).toMatch(/适用于.*示例市.*北京的办理要求请咨询当地/);
    expect(away.text).not.toContain('优先为您查找');
    expect((await conversation()('我在深圳')).text).toContain('优先为您查找深圳的办事指南');
  });

  it('says a guide is for another region when the citizen named theirs earlier, as when they name it in the question', async () => {
    const say = conversation();
    await say('我在深圳');
    const reply = await say('身份证丢了怎么补');
    expect(reply).toMatchObject({ kind: 'fallback', entryId: null });
    expect(reply.text).toMatch(/示例市.*不适用于深圳/);
    expect(await conversation()('我在深圳，身份证丢了怎么补')).toMatchObject({ kind: 'fallback', entryId: null });
  });

  it('takes the variant whose own description names the region, not one whose office merely lies there', async () => {
    // Every variant's region and address say 广州; only one is for people registered there.
    const say = conversation();
    await say('我是广州的');
    const reply = await say('团队游签注办理要带什么材料');
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'e-city', facet: 'materials' });
    expect(reply.text).toContain('广州户口簿');
    expect(await conversation()('我是广州户口，想办团队游签注，要带什么材料')).toMatchObject({ kind: 'answer', entryId: 'e-city' });
  });

  it('reads 香港 as the 港澳 of a variant, takes the province-wide variant when no place is said, and the plain one when no sub-case is', async () => {
    expect(await conversation()('香港的中医师执业认定要什么条件')).toMatchObject({ kind: 'answer', entryId: 'd-hkmo', facet: 'conditions' });
    // Handled by the province or by 广州: with no place said, the one that serves every citizen.
    expect(await conversation()('律所开业许可在哪办')).toMatchObject({ kind: 'answer', entryId: 'f-province', facet: 'location' });
    expect(await conversation()('环评报告书审批要多久')).toMatchObject({ kind: 'answer', entryId: 'r-plain', facet: 'time_limit' });
  });

  it('takes the variant for the sub-case the citizen describes, and sets aside those nobody mentioned', async () => {
    expect(await conversation()('护林员证核发，原证损坏了，要带什么')).toMatchObject({ kind: 'answer', entryId: 'g-damaged', facet: 'materials' });
    expect(await conversation()('护林员证核发，原来的找不到了，要带什么')).toMatchObject({ kind: 'answer', entryId: 'g-lost' });
    // Someone who lost or damaged theirs says so: a plain question is about applying.
    expect(await conversation()('护林员证核发要带什么材料')).toMatchObject({ kind: 'answer', entryId: 'g-first' });
  });
});

describe('one-time notification and walkthrough', () => {
  it('一次性告知 gives every part of the guide as text and as a card', async () => {
    const say = conversation();
    await say('身份证丢了怎么补办');
    const sheet = await say('一次性告知');
    expect(sheet).toMatchObject({ kind: 'answer', entryId: 'demo-id-card-loss' });
    for (const heading of ['办理条件', '需要什么材料', '收费标准', '办理时限', '办理地点', '咨询电话', '办理流程', '网上办理']) {
      expect(sheet.text).toContain(`【${heading}】`);
    }
    expect(sheet.card).toMatchObject({ type: 'sheet' });
  });

  it('一步步来 walks through the steps with 下一步 / 上一步 / 结束', async () => {
    const say = conversation();
    await say('结婚登记');
    const first = await say('一步步来');
    expect(first).toMatchObject({ kind: 'guide', facet: 'process', quickReplies: ['下一步', '结束'] });
    expect(first.text).toContain('第1步');
    expect((await say('下一步')).text).toContain('第2步');
    expect((await say('上一步')).text).toContain('第1步');
    expect((await say('结束')).text).toContain('介绍到这里');
  });
});

describe('small talk, fallback, handoff and rating', () => {
  it('handles greetings, identity and abuse briefly', async () => {
    const say = conversation();
    expect((await say('你好')).kind).toBe('smalltalk');
    expect((await say('你是谁')).text).toContain('办事');
    expect((await say('你这个垃圾')).text).toContain('12345');
  });

  it('does not answer a guide of the demo city to a citizen who names another city', async () => {
    const reply = await conversation()('北京的居住证怎么办理');
    expect(reply).toMatchObject({ kind: 'fallback', entryId: null });
    expect(reply.text).toContain('不适用于北京');
    // A place one travels to is not where one applies.
    expect(await conversation()('去香港旅游，港澳通行证要带什么')).toMatchObject({ kind: 'answer', entryId: 'demo-hk-macau-permit' });
  });

  it('never offers one question twice, though the knowledge base holds it twice', async () => {
    // Two departments publish the same FAQ: the citizen could not tell "1." from "2.".
    const ask = await conversation()('犬证补办');
    expect(ask.kind).toBe('clarify');
    expect(ask.quickReplies.filter((q) => q === '养犬登记证遗失了怎么补办？')).toHaveLength(1);
    expect(new Set(ask.candidates.map((c) => c.title)).size).toBe(ask.candidates.length);
    // Left with one question to offer, the bot asks whether it is the one, and a yes takes it.
    const say = conversation();
    const one = await say('养犬登记');
    expect(one).toMatchObject({ kind: 'clarify', entryId: null });
    expect(one.text).toContain('您是想问“养犬登记证遗失了怎么补办？”吗');
    expect(await say('是的')).toMatchObject({ kind: 'answer', entryId: 'dup-a' });
  });

  it('answers a bare "2" with no question open by saying there is nothing to choose, not with a search for "2"', async () => {
    const reply = await conversation()('2');
    expect(reply).toMatchObject({ kind: 'smalltalk', entryId: null, candidates: [] });
    expect(reply.text).toContain('现在没有待选择的选项');
  });

  it('falls back honestly with the hotline and a human', async () => {
    const reply = await conversation()('今天天气怎么样');
    expect(reply).toMatchObject({ kind: 'fallback', entryId: null });
    expect(reply.text).toContain('12345');
    expect(reply.quickReplies).toContain('转人工');
  });

  it('hands over to a human and stores the conversation summary for staff', async () => {
    const say = conversation();
    await say('身份证丢了怎么补办');
    const reply = await say('转人工');
    expect(reply.kind).toBe('handoff');
    const row = stack.db.prepare('SELECT summary FROM handoffs ORDER BY seq DESC LIMIT 1').get() as { summary: string };
    expect(row.summary).toContain('身份证丢了怎么补办');
  });

  it('asks for a rating after an answered conversation and stores it with the reason', async () => {
    const say = conversation();
    await say('护照要带什么');
    const ask = await say('谢谢');
    expect(ask).toMatchObject({ kind: 'rating', quickReplies: ['满意', '基本满意', '不满意'] });
    expect((await say('不满意')).kind).toBe('rating');
    await say('等了很久才找到');
    const row = stack.db.prepare('SELECT rating, reason FROM ratings ORDER BY seq DESC LIMIT 1').get();
    expect(row).toEqual({ rating: '不满意', reason: '等了很久才找到' });
  });
});

describe('scripts and privacy', () => {
  it('answers Traditional Chinese in Traditional Chinese', async () => {
    const reply = await conversation()('居民身分證遺失補領要帶什麼資料');
    expect(reply).toMatchObject({ entryId: 'demo-id-card-loss', facet: 'materials' });
    // Taiwan standard characters (OpenCC cn→tw): 身份證, 準備.
    expect(reply.text).toContain('居民身份證');
    expect(reply.text).toContain('需要準備');
    expect(reply.text).not.toContain('需要准备');
  });

  it('masks ID card and phone numbers before the turn is logged', async () => {
    await conversation()('我的身份证号44010619900101123X丢了，电话13812345678');
    const row = stack.db.prepare('SELECT text FROM turns ORDER BY seq DESC LIMIT 1').get() as { text: string };
    expect(row.text).toContain('440106********123X');
    expect(row.text).toContain('138****5678');
    expect(row.text).not.toContain('19900101');
    // Nor does the stored conversation state, which keeps a clarified question's wording.
    const asked = await conversation()('测绘资质认定要带什么材料，我身份证号44010619900101123X');
    expect(asked.kind).toBe('clarify');
    const state = stack.db.prepare('SELECT data FROM bot_storage').all() as { data: string }[];
    expect(state.some((r) => r.data.includes('440106********123X'))).toBe(true);
    expect(state.some((r) => r.data.includes('19900101'))).toBe(false);
  });
});

describe('persistence', () => {
  it('keeps a conversation across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-bot-'));
    try {
      const first = await testStack({ dbFile: join(dir, 'b.db') });
      await first.bot.handleMessage({ session: 's', channel: 'test', text: '我想办护照' });
      await first.close();
      const second = await testStack({ dbFile: join(dir, 'b.db') });
      expect(await second.bot.handleMessage({ session: 's', channel: 'test', text: '要多少钱' }))
        .toMatchObject({ entryId: 'demo-passport', facet: 'fees' });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('forgets every stored row of a conversation on reset, and only that conversation\'s', async () => {
    const rows = (session: string): number => stack.db.prepare('SELECT COUNT(*) FROM bot_storage WHERE key LIKE ?')
      .pluck().get(`%${session}%`) as number;
    await stack.bot.handleMessage({ session: 'forget-me', channel: 'test', text: '我想办护照' });
    await stack.bot.handleMessage({ session: 'keep-me', channel: 'test', text: '我想办护照' });
    expect(rows('forget-me')).toBeGreaterThan(0);
    await stack.bot.reset('forget-me', 'test');
    expect(rows('forget-me')).toBe(0);
    expect(rows('keep-me')).toBeGreaterThan(0);
    expect(await stack.bot.handleMessage({ session: 'keep-me', channel: 'test', text: '要多少钱' })).toMatchObject({ entryId: 'demo-passport' });
  });
  it('with a commit window, stores turns after their replies, the session\'s own before its next turn, and all on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-bot-'));
    try {
      const first = await testStack({ dbFile: join(dir, 'b.db'), commitWindowMs: 60_000 });
      const logged = (): number => first.db.prepare('SELECT COUNT(*) FROM turns').pluck().get() as number;
      const say = (session: string, text: string): Promise<Reply> => first.bot.handleMessage({ session, channel: 'test', text });
      await say('a', '我想办护照');
      await say('b', '身份证丢了怎么补办');
      expect(logged()).toBe(0);
      // The follow-up reads the state its first turn left, though that turn waited to be committed.
      expect(await say('a', '要多少钱')).toMatchObject({ entryId: 'demo-passport', facet: 'fees' });
      expect(logged()).toBe(2);
      // A conversation forgotten while its write waits stays forgotten.
      await first.bot.reset('b', 'test');
      await first.close();
      const second = await testStack({ dbFile: join(dir, 'b.db') });
      expect(second.db.prepare('SELECT COUNT(*) FROM turns').pluck().get()).toBe(3);
      expect(await second.bot.handleMessage({ session: 'a', channel: 'test', text: '在哪办' }))
        .toMatchObject({ entryId: 'demo-passport', facet: 'location' });
      expect(await second.bot.handleMessage({ session: 'b', channel: 'test', text: '要多少钱' })).not.toMatchObject({ entryId: 'demo-id-card-loss' });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
