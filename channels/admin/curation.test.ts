// Curation through the staff API, checked where it matters: what a citizen gets
// from /api/chat right after each call returns.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matter } from '../../test/fixtures.ts';
import { testApp } from '../../test/harness.ts';
import { call, chat, OPERATOR_TOKEN } from './testing.ts';

interface Written {
  id: string;
  version: number;
  status: string;
  publishedVersion: number | null;
  entry: { question?: string; alternates?: string[]; answer?: string; name?: string };
}

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ adminToken: OPERATOR_TOKEN }));
});

afterAll(async () => {
  await app.close();
});

async function createFaq(body: Record<string, unknown>): Promise<Written> {
  const response = await call(app, '/api/admin/faqs', { body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Written>();
}

const put = (id: string, version: number | null, body: unknown, query = ''): ReturnType<typeof call> =>
  call(app, `/api/admin/faqs/${id}${query}`, { method: 'PUT', body, headers: version === null ? {} : { 'if-match': String(version) } });

describe('FAQ endpoints (CONTRACTS §3)', () => {
  it('creates an FAQ that /api/chat answers as soon as the call returns', async () => {
    // Nothing in the demo knowledge base answers this: the bot falls back before.
    expect((await chat(app, '市图书馆周末几点开门')).reply.kind).toBe('fallback');
    const created = await createFaq({
      question: '市图书馆周末几点开门？', alternates: ['图书馆星期六开不开'], answer: '市图书馆周六、周日 9:00-17:00 开放。', tags: ['文化'],
    });
    expect(created).toMatchObject({ version: 1, status: 'published', publishedVersion: 1 });
    expect(created.id).toMatch(/^faq-[0-9a-f]{12}$/);
    const answer = await chat(app, '市图书馆周末几点开门');
    expect(answer.reply).toMatchObject({ kind: 'answer', entryId: created.id });
    expect((await chat(app, '图书馆星期六开不开')).reply.entryId).toBe(created.id);
  });

  it('needs If-Match on PUT (428) and lets only one of two writers with the same version win (409 carries the winner)', async () => {
    const faq = await createFaq({ question: '市民卡可以在哪些网点充值', alternates: [], answer: '各银行网点均可。' });
    expect((await put(faq.id, null, { answer: '没带版本号' })).statusCode).toBe(428);

    const [a, b] = await Promise.all([
      put(faq.id, faq.version, { answer: '甲：在各合作银行网点充值。' }),
      put(faq.id, faq.version, { answer: '乙：在地铁站自助机充值。' }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(loser.json()).toMatchObject({ error: 'VERSION_CONFLICT', current: { version: 2, entry: { answer: winner.json<Written>().entry.answer } } });
    expect(winner.headers.etag).toBe('"2"');
    // Fields left out of a PUT keep their value.
    expect(winner.json<Written>().entry.question).toBe('市民卡可以在哪些网点充值');
  });

  it('deletes (204) so the entry is no longer answered, and restores it', async () => {
    const faq = await createFaq({ question: '市游泳馆夏季开放时间', alternates: [], answer: '夏季游泳馆 6:00-22:00 开放。' });
    expect((await chat(app, '市游泳馆夏季开放时间')).reply.entryId).toBe(faq.id);
    expect((await call(app, `/api/admin/faqs/${faq.id}`, { method: 'DELETE' })).statusCode).toBe(204);
    expect((await chat(app, '市游泳馆夏季开放时间')).reply.entryId).not.toBe(faq.id);
    const listed = await call(app, `/api/admin/entries?deleted=true&text=${encodeURIComponent('游泳馆')}`);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: faq.id, deleted: true }] });

    expect((await call(app, `/api/admin/entries/${faq.id}/restore`, { method: 'POST' })).statusCode).toBe(200);
    expect((await chat(app, '市游泳馆夏季开放时间')).reply.entryId).toBe(faq.id);
  });

  it('keeps a draft away from citizens until a reviewer publishes it', async () => {
    const faq = await createFaq({ question: '市博物馆周一闭馆吗', alternates: [], answer: '周一闭馆。' });
    const draft = await put(faq.id, faq.version, { answer: '自下月起周一照常开放。', status: 'draft' });
    expect(draft.json()).toMatchObject({ version: 2, status: 'draft', publishedVersion: 1 });
    expect((await chat(app, '市博物馆周一闭馆吗')).reply.text).toBe('周一闭馆。');

    const entry = await call(app, `/api/admin/entries/${faq.id}`);
    expect(entry.json()).toMatchObject({ status: 'draft', entry: { answer: '自下月起周一照常开放。' }, live: { answer: '周一闭馆。' } });

    const stale = await call(app, `/api/admin/entries/${faq.id}/publish`, { method: 'POST', headers: { 'if-match': '1' } });
    expect(stale.statusCode).toBe(409);
    const published = await call(app, `/api/admin/entries/${faq.id}/publish`, { method: 'POST', headers: { 'if-match': '2' } });
    expect(published.json()).toMatchObject({ version: 3, status: 'published', publishedVersion: 3 });
    expect((await chat(app, '市博物馆周一闭馆吗')).reply.text).toBe('自下月起周一照常开放。');
  });

  it('rolls back to an earlier version and shows what changed, field by field', async () => {
    const faq = await createFaq({ question: '公园年卡怎么办理', alternates: ['公园年票'], answer: '持身份证到公园售票处办理。' });
    const v2 = await put(faq.id, 1, { answer: '在“示例市公园”小程序办理。', alternates: ['公园年票', '园林年卡在哪办'] });
    expect(v2.statusCode).toBe(200);

    const diff = await call(app, `/api/admin/entries/${faq.id}/diff?from=1&to=2`);
    expect(diff.json<{ changes: unknown[] }>().changes).toEqual([
      { field: '/alternates', change: 'changed', from: ['公园年票'], to: ['公园年票', '园林年卡在哪办'], added: ['园林年卡在哪办'], removed: [] },
      { field: '/answer', change: 'changed', from: '持身份证到公园售票处办理。', to: '在“示例市公园”小程序办理。' },
    ]);

    const rolled = await call(app, `/api/admin/entries/${faq.id}/rollback`, { body: { version: 1 } });
    expect(rolled.json()).toMatchObject({ version: 3, status: 'published', entry: { answer: '持身份证到公园售票处办理。' } });
    expect((await chat(app, '公园年卡怎么办理')).reply.text).toBe('持身份证到公园售票处办理。');
    // With no range given, the diff shows the last change: the rollback itself.
    const last = await call(app, `/api/admin/entries/${faq.id}/diff`);
    expect(last.json()).toMatchObject({ from: 2, to: 3 });
    const history = await call(app, `/api/admin/entries/${faq.id}/history`);
    expect(history.json<{ versions: { version: number }[] }>().versions.map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('takes back an entry as GET /faqs/:id gave it', async () => {
    const faq = await createFaq({ question: '市体育馆可以预约场地吗', alternates: [], answer: '可以在“示例市体育”小程序预约。' });
    const read = await call(app, `/api/admin/faqs/${faq.id}`);
    expect(read.headers.etag).toBe('"1"');
    const { entry, version } = read.json<Written>();
    const saved = await put(faq.id, version, { ...entry, answer: '可以，提前三天在小程序预约。' });
    expect(saved.statusCode, saved.body).toBe(200);
    const listed = await call(app, `/api/admin/faqs?text=${encodeURIComponent('体育馆')}`);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: faq.id, kind: 'faq', version: 2, title: '市体育馆可以预约场地吗', source: 'staff' }] });
    expect((await call(app, `/api/admin/matters/${faq.id}`)).statusCode).toBe(404);
  });

  it('reports every bad field at once', async () => {
    const bad = await call(app, '/api/admin/faqs', { body: { question: '', alternates: 'not a list', answer: '有答案', colour: 'red' } });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ problems: { field: string }[] }>().problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['/colour', '/question', '/alternates']));
  });
});

describe('alternate conflict check', () => {
  it('refuses an alternate that is another FAQ\'s exact question (409), unless forced', async () => {
    // demo-faq-001 is "孩子多大可以办身份证？" in the demo knowledge base.
    const faq = await createFaq({ question: '新生儿医保怎么参保', alternates: [], answer: '出生后三个月内到社区参保。' });
    const refused = await put(faq.id, 1, { alternates: ['孩子多大可以办身份证？'] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: 'ALTERNATE_CONFLICT',
      conflicts: [{ text: '孩子多大可以办身份证？', entryId: 'demo-faq-001', title: '孩子多大可以办身份证？' }],
    });
    expect(refused.json<{ conflicts: { confidence: number }[] }>().conflicts[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    // Nothing was written.
    expect((await call(app, `/api/admin/entries/${faq.id}`)).json()).toMatchObject({ version: 1 });

    const forced = await put(faq.id, 1, { alternates: ['孩子多大可以办身份证？'] }, '?force=true');
    expect(forced.statusCode).toBe(200);
  });

  it('checks the question of a new FAQ too', async () => {
    // demo-faq-006 is "身份证过期了还能用吗？".
    const refused = await call(app, '/api/admin/faqs', { body: { question: '身份证过期了还能用吗', alternates: [], answer: '重复的问题。' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'ALTERNATE_CONFLICT', conflicts: [{ entryId: 'demo-faq-006' }] });
  });
});

describe('matter guides', () => {
  it('validates the full Matter body with field-level problems', async () => {
    const broken = { ...matter('staff-matter-1', { name: '' }), fees: { status: 'maybe', items: [] }, visits: -1 };
    const response = await call(app, '/api/admin/matters', { body: broken });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; problems: { field: string; message: string }[] }>();
    expect(body.error).toBe('INVALID_ENTRY');
    expect(body.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['/name', '/fees/status', '/visits']));
  });

  it('creates, updates and deletes a matter guide', async () => {
    const body = matter('staff-matter-2', { name: '古树名木认养登记', aliases: ['认养古树'], conditions: '年满18周岁的市民或单位。' });
    const created = await call(app, '/api/admin/matters', { body });
    expect(created.statusCode, created.body).toBe(201);
    expect((await chat(app, '古树名木认养登记')).reply.entryId).toBe('staff-matter-2');

    const updated = await call(app, '/api/admin/matters/staff-matter-2', {
      method: 'PUT', headers: { 'if-match': '1' }, body: { ...body, conditions: '年满16周岁的市民或单位。' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    // A FAQ route does not touch a matter.
    expect((await call(app, '/api/admin/faqs/staff-matter-2', { method: 'DELETE' })).statusCode).toBe(404);
    expect((await call(app, '/api/admin/matters/staff-matter-2', { method: 'DELETE' })).statusCode).toBe(204);
    expect((await chat(app, '古树名木认养登记')).reply.entryId).not.toBe('staff-matter-2');
  });

  it('keeps an imported guide\'s source when a PUT leaves it out', async () => {
    const read = (await call(app, '/api/admin/matters/demo-passport')).json<{ version: number; entry: Record<string, unknown> }>();
    const { source: _source, ...body } = read.entry;
    const updated = await call(app, '/api/admin/matters/demo-passport', {
      method: 'PUT', headers: { 'if-match': String(read.version) }, body: { ...body, conditions: '中国公民。' },
    });
    expect(updated.json()).toMatchObject({ entry: { source: 'demo', conditions: '中国公民。' } });
  });
});
