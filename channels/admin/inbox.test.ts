// The unanswered inbox and the suggested alternates, end to end: citizens ask
// through /api/chat, staff act through the staff API, citizens ask again.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/harness.ts';
import { clusterId, similarity } from './inbox.ts';
import type { Suggestion } from './suggestions.ts';
import { call, chat, OPERATOR_TOKEN, staffToken } from './testing.ts';

interface ClusterView {
  id: string;
  text: string;
  count: number;
  sessions: number;
  examples: { text: string; count: number }[];
  reasons: Record<string, number>;
  suggestedEntry: { entryId: string; title: string; confidence: number } | null;
}

let app: FastifyInstance;
let editor: string;
const ID_NUMBER = '110101199003071234';

async function inbox(): Promise<ClusterView[]> {
  const response = await call(app, '/api/admin/inbox', { token: editor });
  expect(response.statusCode).toBe(200);
  expect(response.body).not.toContain(ID_NUMBER);
  return response.json<{ items: ClusterView[] }>().items;
}

const containing = (clusters: ClusterView[], text: string): ClusterView | undefined =>
  clusters.find((c) => c.examples.some((e) => e.text === text));

async function suggestions(): Promise<Suggestion[]> {
  return (await call(app, '/api/admin/suggestions', { token: editor })).json<{ items: Suggestion[] }>().items;
}

beforeAll(async () => {
  ({ app } = await testApp({ adminToken: OPERATOR_TOKEN }));
  editor = await staffToken(app, 'editor', 'editor');
  // Fallbacks: two wordings of one question (three times), and one with an ID number.
  for (const text of ['图书馆几点开门', '图书馆每天几点开门', '图书馆几点开门']) expect((await chat(app, text)).reply.kind).toBe('fallback');
  expect((await chat(app, `${ID_NUMBER}这个号码是谁的`)).reply.kind).toBe('fallback');
  // The same wording in a hit test is staff, not a citizen: it must not count.
  await call(app, '/api/admin/hit-test', { body: { text: '图书馆几点开门' } });
  // An answer the citizen rated 不满意.
  const rated = await chat(app, '结婚登记要带什么');
  expect(rated.reply.kind).toBe('answer');
  expect((await chat(app, '谢谢', rated.session)).reply.kind).toBe('rating');
  await chat(app, '不满意', rated.session);
});

afterAll(async () => {
  await app.close();
});

describe('GET /api/admin/inbox', () => {
  it('groups similar unanswered questions, with counts, examples, reasons and a suggested entry', async () => {
    const clusters = await inbox();
    const library = containing(clusters, '图书馆几点开门')!;
    expect(library).toMatchObject({
      text: '图书馆几点开门', count: 3, sessions: 3, reasons: { fallback: 3 },
      examples: [{ text: '图书馆几点开门', count: 2 }, { text: '图书馆每天几点开门', count: 1 }],
    });
    expect(library.id).toBe(clusterId('图书馆几点开门'));
    expect(library.suggestedEntry).toEqual(expect.objectContaining({ entryId: expect.any(String), confidence: expect.any(Number) }));

    const unhappy = containing(clusters, '结婚登记要带什么')!;
    expect(unhappy.reasons).toEqual({ rated_unsatisfied: 1 });
  });

  it('shows an ID number a citizen typed masked, never in full', async () => {
    const clusters = await inbox();
    const masked = clusters.find((c) => c.text.includes('110101********1234'));
    expect(masked).toMatchObject({ count: 1, examples: [{ text: '110101********1234这个号码是谁的', count: 1 }] });
    // A cluster of wordings that carry personal data cannot become an FAQ question by itself.
    const refused = await call(app, `/api/admin/inbox/${masked!.id}/new-faq`, { token: editor, body: { answer: '我们不能查询他人信息。' } });
    expect(refused.statusCode).toBe(400);
  });

  it('attaches a cluster to an entry: its wordings become alternates, the question is answered, the cluster leaves', async () => {
    const created = await call(app, '/api/admin/faqs', {
      token: editor, body: { question: '文化场馆服务安排', alternates: [], answer: '市图书馆每天 9:00-21:00 开放，周一上午闭馆整理。' },
    });
    const faqId = created.json<{ id: string }>().id;
    expect((await chat(app, '图书馆几点开门')).reply.entryId).not.toBe(faqId);
    const cluster = containing(await inbox(), '图书馆几点开门')!;

    const attached = await call(app, `/api/admin/inbox/${cluster.id}/attach`, { token: editor, body: { entryId: faqId } });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(attached.json()).toMatchObject({
      clusterId: cluster.id, added: ['图书馆几点开门', '图书馆每天几点开门'], version: 2, status: 'published',
      entry: { alternates: ['图书馆几点开门', '图书馆每天几点开门'] }, updatedBy: 'editor',
    });
    expect((await chat(app, '图书馆几点开门')).reply).toMatchObject({ kind: 'answer', entryId: faqId });
    expect((await inbox()).map((c) => c.id)).not.toContain(cluster.id);
    const resolutions = await call(app, '/api/admin/inbox/resolutions');
    expect(resolutions.json()).toMatchObject({ resolutions: [{ clusterId: cluster.id, action: 'attach', entryId: faqId, resolvedBy: 'editor' }] });
  });

  it('creates a new FAQ from a cluster', async () => {
    const cluster = containing(await inbox(), '结婚登记要带什么')!;
    const created = await call(app, `/api/admin/inbox/${cluster.id}/new-faq`, {
      token: editor, body: { answer: '双方带身份证和户口簿到婚姻登记处即可。', tags: ['婚姻'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'published', entry: { question: '结婚登记要带什么', tags: ['婚姻'], source: 'staff' } });
    expect(containing(await inbox(), '结婚登记要带什么')).toBeUndefined();
  });

  it('answers 404 for a cluster that is gone', async () => {
    expect((await call(app, '/api/admin/inbox/0123456789ab/dismiss', { method: 'POST' })).statusCode).toBe(404);
  });
});

describe('suggested alternates from clarifications', () => {
  it('turns a resolved clarification into a suggestion; accepting it adds the wording as an alternate', async () => {
    const wording = '老公死活不肯离，我一个人去民政局能离吗';
    const asked = await chat(app, wording);
    expect(asked.reply.kind).toBe('clarify');
    const picked = await chat(app, '1', asked.session);
    expect(picked.reply.kind).toBe('answer');
    const entryId = picked.reply.entryId!;
    // Resolved at once: not an unanswered question.
    expect(containing(await inbox(), wording)).toBeUndefined();

    const suggestion = (await suggestions()).find((s) => s.text === wording)!;
    expect(suggestion).toMatchObject({ entryId, count: 1 });
    const viewer = await staffToken(app, 'viewer', 'viewer');
    expect((await call(app, `/api/admin/suggestions/${suggestion.seq}/accept`, { token: viewer, method: 'POST' })).statusCode).toBe(403);

    const accepted = await call(app, `/api/admin/suggestions/${suggestion.seq}/accept`, { token: editor, method: 'POST' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ decision: 'accepted', added: [wording], id: entryId });
    expect(accepted.json<{ entry: { alternates: string[] } }>().entry.alternates).toContain(wording);
    expect((await suggestions()).find((s) => s.text === wording)).toBeUndefined();
    // Asked the same way again, the bot now answers without asking.
    expect((await chat(app, wording)).reply).toMatchObject({ kind: 'answer', entryId });
  });

  it('rejects a suggestion in one click, leaving the entry as it was', async () => {
    const wording = '车子年检过期两个月了，还能开上路吗';
    const asked = await chat(app, wording);
    expect(asked.reply.kind).toBe('clarify');
    const picked = await chat(app, '2', asked.session);
    const before = (await call(app, `/api/admin/entries/${picked.reply.entryId!}`)).json<{ version: number }>().version;
    const suggestion = (await suggestions()).find((s) => s.text === wording)!;
    const rejected = await call(app, `/api/admin/suggestions/${suggestion.seq}/reject`, { token: editor, method: 'POST' });
    expect(rejected.json()).toMatchObject({ decision: 'rejected', entryId: picked.reply.entryId });
    expect((await suggestions()).find((s) => s.text === wording)).toBeUndefined();
    expect((await call(app, `/api/admin/entries/${picked.reply.entryId!}`)).json<{ version: number }>().version).toBe(before);
  });
});

describe('similarity', () => {
  it('compares character bigrams', () => {
    const grams = (s: string): Set<string> => new Set([...s].slice(1).map((c, i) => s[i]! + c));
    // One leading character apart: 6 of 7 bigrams shared.
    expect(similarity(grams('市图书馆几点开门'), grams('图书馆几点开门'))).toBeCloseTo(6 / 7);
    expect(similarity(grams('图书馆几点开门'), grams('护照要带什么'))).toBe(0);
  });
});
