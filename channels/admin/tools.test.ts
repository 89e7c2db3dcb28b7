// The staff tools: hit test, bulk import with its preview, export, batch test.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/harness.ts';
import type { HitTestResult } from './hit-test.ts';
import type { ImportPreview } from './import-preview.ts';
import { call, chat, OPERATOR_TOKEN, staffToken } from './testing.ts';

let app: FastifyInstance;
let editor: string;

beforeAll(async () => {
  ({ app } = await testApp({ adminToken: OPERATOR_TOKEN }));
  editor = await staffToken(app, 'editor', 'editor');
});

afterAll(async () => {
  await app.close();
});

describe('POST /api/admin/hit-test', () => {
  it('shows the analysed query, each stage\'s rank and score, the confidence and the citizen\'s reply', async () => {
    const response = await call(app, '/api/admin/hit-test', { token: editor, body: { text: '办护照要带什么材料' } });
    expect(response.statusCode).toBe(200);
    const result = response.json<HitTestResult>();
    expect(result.query).toMatchObject({ original: '办护照要带什么材料', script: 'simplified', facet: 'materials' });
    expect(result.query.cue).toBeTruthy();
    expect(result.query.tokens).toContain('护照');
    // The passport guide is what both stages find first for this wording.
    expect(result.candidates[0]).toMatchObject({
      entryId: 'demo-passport', kind: 'matter',
      stages: { bm25: { rank: 1, score: expect.any(Number) }, dense: { rank: expect.any(Number), score: expect.any(Number) } },
    });
    expect(result.confidence).toBeGreaterThan(0.6);
    expect(result.reply).toMatchObject({ kind: 'answer', entryId: 'demo-passport', facet: 'materials' });
  });

  it('can search one stage alone', async () => {
    const result = (await call(app, '/api/admin/hit-test', { body: { text: '护照', stages: ['bm25'] } })).json<HitTestResult>();
    expect(result.candidates.every((c) => c.stages.dense === null && c.stages.bm25 !== null)).toBe(true);
  });
});

const SHEET = [
  'id,question,alternates,answer,tags',
  'imp-1,市图书馆办借书证要押金吗,"图书馆借书证押金|办借书证要交钱吗",不需要押金，凭身份证免费办理。,文化',
  'imp-2,,这一行没有问题,答案在这里,',
  'demo-faq-001,孩子多大可以办身份证？,,任何年龄都可以申领身份证（新答案）。,',
  'imp-3,市档案馆查档要预约吗,,需要提前一个工作日预约。,',
].join('\n');

describe('bulk import of the FAQ sheet', () => {
  it('previews row by row without writing, then imports the rows that are valid', async () => {
    const preview = await call(app, '/api/admin/import/preview?format=faq-csv', { token: editor, body: SHEET, headers: { 'content-type': 'text/csv' } });
    expect(preview.statusCode, preview.body).toBe(200);
    const report = preview.json<ImportPreview>();
    expect(report.summary).toEqual({ rows: 4, create: 2, update: 1, unchanged: 0, rejected: 1 });
    expect(report.rows).toEqual([
      { location: 'line 2', id: 'imp-1', title: '市图书馆办借书证要押金吗', action: 'create' },
      expect.objectContaining({ location: 'line 4', id: 'demo-faq-001', action: 'update', fields: expect.arrayContaining(['answer']) }),
      { location: 'line 5', id: 'imp-3', title: '市档案馆查档要预约吗', action: 'create' },
    ]);
    expect(report.problems).toEqual([expect.objectContaining({ location: 'line 3', reason: expect.stringContaining('question') })]);
    // Nothing was written.
    expect((await call(app, '/api/admin/entries/imp-1')).statusCode).toBe(404);

    // Importing writes, and is a reviewer's call.
    const refused = await call(app, '/api/admin/import', { token: editor, body: SHEET, headers: { 'content-type': 'text/csv' } });
    expect(refused.statusCode).toBe(403);
    const imported = await call(app, '/api/admin/import', { body: SHEET, headers: { 'content-type': 'text/csv' } });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ format: 'faq-csv', created: 2, updated: 1, unchanged: 0, rejected: 1 });
    expect((await chat(app, '办借书证要交钱吗')).reply.entryId).toBe('imp-1');
    const history = await call(app, '/api/admin/entries/imp-1/history');
    expect(history.json()).toMatchObject({ audit: [{ actor: 'operator', action: 'create' }] });

    // The same sheet again changes nothing.
    const again = await call(app, '/api/admin/import/preview', { body: SHEET, headers: { 'content-type': 'text/csv; charset=utf-8' } });
    expect(again.json<ImportPreview>().summary).toMatchObject({ create: 0, update: 0, unchanged: 3, rejected: 1 });
  });

  it('refuses a body it cannot tell the format of (415) and a sheet without its required columns (400)', async () => {
    const unknown = await call(app, '/api/admin/import/preview', { body: 'a,b\n1,2', headers: { 'content-type': 'text/plain' } });
    expect(unknown.statusCode).toBe(415);
    const headless = await call(app, '/api/admin/import/preview', { body: 'id,title\n1,2', headers: { 'content-type': 'text/csv' } });
    expect(headless.statusCode).toBe(400);
    expect(headless.json<{ message: string }>().message).toContain('缺少');
  });
});

describe('GET /api/admin/export', () => {
  it('downloads the FAQ sheet as CSV and XLSX, and everything as JSON', async () => {
    const csv = await call(app, '/api/admin/export?format=csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="banshi-faq-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.body).toContain('demo-faq-001');
    expect(Number(csv.headers['x-export-skipped'])).toBeGreaterThan(0);

    const xlsx = await call(app, '/api/admin/export?format=xlsx');
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const json = await call(app, '/api/admin/export?format=json', { token: editor });
    expect(json.headers['content-disposition']).toContain('.json"');
    expect(json.body).toContain('demo-passport');
  });
});

describe('POST /api/admin/batch-test', () => {
  it('runs JSON Lines cases through the bot and reports the accuracy suite\'s figures', async () => {
    const cases = [
      { id: 'b1', query: '孩子多大可以办身份证', expect: { entries: ['demo-faq-001'] } },
      { id: 'b2', query: '办护照要带什么', expect: { entries: ['demo-passport'], facet: 'materials' } },
      { id: 'b3', query: '今天天气怎么样', expect: { none: true } },
    ].map((c) => JSON.stringify(c)).join('\n');
    const response = await call(app, '/api/admin/batch-test', { token: editor, body: cases, headers: { 'content-type': 'application/x-ndjson' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ cases: 3, turns: 2, accuracy: 1, facetAccuracy: 1, oosPass: 1, failures: [] });
  });

  it('takes a CSV of question,expected_entry_id', async () => {
    const csv = 'question,expected_entry_id\n孩子多大可以办身份证,demo-faq-001\n办护照要带什么,demo-id-card-loss\n';
    const report = (await call(app, '/api/admin/batch-test', { body: csv, headers: { 'content-type': 'text/csv' } })).json<{
      turns: number; accuracy: number; failures: { id: string; query: string }[];
    }>();
    expect(report.turns).toBe(2);
    expect(report.accuracy).toBe(0.5);
    expect(report.failures).toEqual([expect.objectContaining({ id: 'line-3', query: '办护照要带什么' })]);
  });

  it('names the line of a broken case', async () => {
    const response = await call(app, '/api/admin/batch-test', { body: '{"id":"ok","query":"护照","expect":{"none":true}}\n{broken', headers: { 'content-type': 'text/plain' } });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(':2:');
  });
});
