import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeStore, openDatabase } from './store.ts';
import { importParsed } from './import.ts';
import type { Entry } from './model.ts';
import type { SourceParser } from './formats/types.ts';
import { faq, matter } from '../test/fixtures.ts';
import { exportKnowledge, type ExportFormat } from './export.ts';
import { parseBanshiJson } from './formats/banshi-json.ts';
import { parseFaqCsv, parseFaqXlsx } from './formats/faq-sheet.ts';

const dir = mkdtempSync(join(tmpdir(), 'banshi-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const liveFaqs = [
  faq('f-jp', {
    question: '居住证怎么办理？', alternates: ['办居住证', '居住證, 辦理', '他说"要半年"'], tags: ['户籍', '居住证'],
    answer: '居住满半年即可申请。\n详情见 (https://www.gz.gov.cn/) | 也可电话咨询', department: '公安局', matterId: 'm-1',
    followUps: ['需要什么材料'], contact: { phone: '12345' },
  }),
  faq('f-tw', { source: 'tpe-faq', question: '如何申請低收入戶？', alternates: ['低收入戶|資格'], answer: '請洽區公所社會課。', tags: ['社會救助'] }),
];
const liveMatter = matter('m-1', { name: '居住证签注', aliases: ['居住证续签'] });

/** A store with live entries, plus entries citizens do not see, which no export carries. */
function seededStore(): KnowledgeStore {
  const store = new KnowledgeStore(openDatabase(':memory:'));
  for (const entry of [...liveFaqs, liveMatter]) store.create(entry, { actor: 'seed' });
  store.create(faq('f-deleted'), { actor: 'seed' });
  store.remove('f-deleted', { actor: 'seed' });
  store.create(faq('f-draft'), { actor: 'seed', status: 'draft' });
  // A pending draft beside a published version: the published content is exported.
  store.update('f-tw', { ...liveFaqs[1]!, answer: '草稿答案' }, { actor: 'seed', status: 'draft' });
  return store;
}

const parsers: Record<ExportFormat, SourceParser> = { json: parseBanshiJson, csv: parseFaqCsv, xlsx: parseFaqXlsx };

describe('exportKnowledge', () => {
  it.each([
    ['json', [...liveFaqs, liveMatter], 0],
    ['csv', liveFaqs, 1],
    ['xlsx', liveFaqs, 1],
  ] as const)('exports the live entries as %s and imports them back unchanged', async (format, expected, skipped) => {
    const result = await exportKnowledge(seededStore(), format);
    expect({ count: result.count, skipped: result.skipped }).toEqual({ count: expected.length, skipped });
    const path = join(dir, `export.${format}`);
    writeFileSync(path, result.data);

    const fresh = new KnowledgeStore(openDatabase(':memory:'));
    const report = importParsed(fresh, await parsers[format](path), 'test');
    expect(report).toMatchObject({ created: expected.length, rejected: 0 });
    const byId = (a: Entry, b: Entry): number => (a.id < b.id ? -1 : 1);
    expect([...fresh.liveEntries()]).toEqual([...expected].sort(byId));
  });

  it('gives text for csv and json and a buffer for xlsx', async () => {
    const store = seededStore();
    expect(typeof (await exportKnowledge(store, 'json')).data).toBe('string');
    expect((await exportKnowledge(store, 'csv')).data).toMatch(/^\uFEFFid,question,/);
    expect(Buffer.isBuffer((await exportKnowledge(store, 'xlsx')).data)).toBe(true);
  });

  it('re-importing its own export changes nothing', async () => {
    const store = new KnowledgeStore(openDatabase(':memory:'));
    for (const entry of [...liveFaqs, liveMatter]) store.create(entry, { actor: 'seed' });
    const path = join(dir, 'again.csv');
    writeFileSync(path, (await exportKnowledge(store, 'csv')).data);
    expect(importParsed(store, await parseFaqCsv(path), 'test')).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('refuses an unknown format', async () => {
    await expect(exportKnowledge(seededStore(), 'yaml' as ExportFormat)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });
});
