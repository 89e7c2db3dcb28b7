import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeStore, openDatabase } from '../store.ts';
import { importParsed } from '../import.ts';
import type { Entry } from '../model.ts';
import { faq, matter } from '../../test/fixtures.ts';
import { BANSHI_JSON_VERSION, parseBanshiJson, writeBanshiJson } from './banshi-json.ts';

const dir = mkdtempSync(join(tmpdir(), 'banshi-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Every optional part of the model filled in, so a dropped field shows. */
const entries: Entry[] = [
  matter('44000-passport', {
    source: 'gd-matters', department: '广东省公安厅', tags: ['出入境'], name: '普通护照签发', aliases: ['办护照', '护照首次申领'],
    baseName: '普通护照签发', variant: '首次申领', matterType: '行政许可', region: '广东省', level: '省级',
    themes: ['出境入境'], applicants: ['自然人'], conditions: '具有中华人民共和国国籍的公民，\n因私出国。',
    materials: [{ name: '居民身份证', form: 'both', originals: 1, copies: 1, required: true, notes: '"有效期内", 正反面',
      templateUrl: 'https://example.gov.cn/t.doc', sampleUrl: 'https://example.gov.cn/s.pdf' }],
    fees: { status: 'charged', items: [{ name: '护照费', amount: 120, basis: '发改价格〔2017〕1186号' },
      { name: '加急费', amount: null, amountText: '视情况而定' }], note: '现场缴费' },
    timeLimits: { legal: { value: 15, unit: 'working_day', text: '15个工作日' }, promised: { value: 7, unit: 'working_day', text: '自受理之日起7个工作日' } },
    locations: [{ name: '出入境大厅', address: '广州市越秀区解放南路155号', hours: '周一至周日 9:00-17:00', window: '1-10号窗口' }],
    phones: { consult: ['020-83113000'], complaint: ['12345'] },
    online: { available: true, fullyOnline: false, platform: '广东政务服务网', url: 'https://www.gdzwfw.gov.cn/', bookingUrl: 'https://crj.gd.gov.cn/' },
    visits: 1, courier: 'yes', steps: [{ title: '申请', description: '提交材料', actor: '申请人' }],
    legalBasis: ['《中华人民共和国护照法》第五条'], faqIds: ['faq-1'], sourceUrl: 'https://www.gdzwfw.gov.cn/item/1',
  }),
  faq('faq-1', {
    source: 'staff', question: '護照過期了怎麼換？', alternates: ['护照过期', 'A|B, "quoted"'], answer: '第一行\n第二行 (https://crj.gd.gov.cn/)',
    tags: ['出入境', '護照'], followUps: ['费用'], matterId: '44000-passport', department: '出入境', contact: { name: '咨询台', phone: '12367' },
  }),
];

describe('banshi-json', () => {
  it('round-trips every field of every entry into a fresh store', async () => {
    const text = writeBanshiJson(entries, { exportedAt: '2025-01-02T03:04:05.000Z' });
    expect(JSON.parse(text)).toMatchObject({ format: 'banshi-json', version: 1, exportedAt: '2025-01-02T03:04:05.000Z' });
    const store = new KnowledgeStore(openDatabase(':memory:'));
    const report = importParsed(store, await parseBanshiJson(file('round.json', text)), 'test');
    expect(report).toMatchObject({ created: 2, rejected: 0 });
    expect([...store.liveEntries()]).toEqual(entries);
  });

  it('locates a bad entry as entries[N] and imports the others', async () => {
    const doc = JSON.parse(writeBanshiJson(entries)) as { entries: unknown[] };
    doc.entries.splice(1, 0, { ...faq('broken'), answer: '' });
    const store = new KnowledgeStore(openDatabase(':memory:'));
    const report = importParsed(store, await parseBanshiJson(file('one-bad.json', JSON.stringify(doc))), 'test');
    expect(report.problems).toEqual([{ location: 'entries[1]', id: 'broken', reason: expect.stringMatching(/^\/answer /) }]);
    expect([...store.liveEntries()].map((e) => e.id)).toEqual(['44000-passport', 'faq-1']);
  });

  it('refuses another version, naming the file and both versions', async () => {
    const path = file('v2.json', JSON.stringify({ format: 'banshi-json', version: BANSHI_JSON_VERSION + 1, entries: [] }));
    await expect(parseBanshiJson(path)).rejects.toMatchObject({
      code: 'BAD_IMPORT', message: expect.stringMatching(/v2\.json.*版本 2.*版本 1/),
    });
    await expect(parseBanshiJson(file('v0.json', '{"format":"banshi-json","version":"1","entries":[]}')))
      .rejects.toThrow(/v0\.json.*不支持的文件版本 "1"/);
  });

  it('refuses a file of another format', async () => {
    await expect(parseBanshiJson(file('other.json', '{"entries":[]}'))).rejects.toThrow(/other\.json.*不是 banshi-json/);
    await expect(parseBanshiJson(file('array.json', '[]'))).rejects.toThrow(/array\.json.*不是 banshi-json/);
  });

  it('reports malformed JSON with the line and column', async () => {
    const path = file('broken.json', '{\n  "format": "banshi-json",\n  "version": 1,\n  "entries": [,]\n}\n');
    await expect(parseBanshiJson(path)).rejects.toThrow(/broken\.json: JSON 格式错误，第 4 行第 15 列/);
    await expect(parseBanshiJson(file('cut.json', '{\n"format":'))).rejects.toThrow(/cut\.json: JSON 格式错误，第 2 行第 10 列/);
  });

  it('accepts a file saved with a BOM', async () => {
    const parsed = await parseBanshiJson(file('bom.json', `\uFEFF${writeBanshiJson([faq('f1')])}`));
    expect(parsed.records).toEqual([{ location: 'entries[0]', entry: faq('f1') }]);
  });
});
