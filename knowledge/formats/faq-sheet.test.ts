import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeStore, openDatabase } from '../store.ts';
import { importParsed } from '../import.ts';
import type { Entry, Faq } from '../model.ts';
import { faq } from '../../test/fixtures.ts';
import { parseFaqCsv, parseFaqXlsx, writeFaqCsv, writeFaqXlsx } from './faq-sheet.ts';
import type { SourceParser } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'banshi-faq-sheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

function freshStore(): KnowledgeStore {
  return new KnowledgeStore(openDatabase(':memory:'));
}

function live(store: KnowledgeStore): Entry[] {
  return [...store.liveEntries()];
}

/** FAQs exercising what a sheet makes hard: CSV syntax, line breaks, `|`, both scripts, links. */
const sheetFaqs: Faq[] = [
  faq('passport-renew', {
    source: 'staff',
    question: '护照过期了怎么换？',
    alternates: ['护照到期了', '换发护照, 要多久', '他说"能加急"吗'],
    answer: '带上身份证和旧护照，到出入境窗口办理。\n网上预约：广东政务服务网 (https://www.gdzwfw.gov.cn/)',
    tags: ['出入境', '护照', '证件'],
    followUps: ['需要什么材料', '费用多少'],
    matterId: 'M-001',
    department: '公安厅出入境管理局',
    contact: { name: '出入境咨询', phone: '020-12345678' },
  }),
  faq('tpe-102', {
    source: 'tpe-faq',
    question: '戶籍謄本如何申請？',
    alternates: ['申請戶籍謄本', '現戶全戶謄本'],
    answer: '請攜帶國民身分證，至任一戶政事務所臨櫃申請，每張新臺幣 15 元。',
    tags: ['戶政'],
    department: '臺北市政府民政局',
    contact: { phone: '1999' },
  }),
  faq('pipes', {
    // A lone item containing `|` is the case a `|`-separated reader would split.
    question: 'A|B 两种方式选哪个',
    alternates: ['方式 A|B'],
    answer: '"引号"开头, 逗号, 和 | 竖线\n第二行',
    tags: ['a|b', 'c'],
    followUps: ['x|y'],
  }),
  faq('plain'),
];

async function roundTrip(path: string, parse: SourceParser): Promise<KnowledgeStore> {
  const store = freshStore();
  const report = importParsed(store, await parse(path), 'test');
  expect(report.problems).toEqual([]);
  return store;
}

const byId = (a: Entry, b: Entry): number => (a.id < b.id ? -1 : 1);

describe('FAQ sheet, CSV', () => {
  it('round-trips every FAQ field, Chinese in both scripts, quotes, commas, line breaks and |', async () => {
    const csv = writeFaqCsv(sheetFaqs);
    expect(csv.startsWith('\uFEFFid,question,alternates,answer,tags,matter_id,follow_ups,department,status,')).toBe(true);
    const store = await roundTrip(file('round.csv', csv), parseFaqCsv);
    expect(live(store)).toEqual([...sheetFaqs].sort(byId));
  });

  it('reads `|` or line-separated lists, free column order, annotated headers; generates stable ids', async () => {
    const csv = [
      'answer 答案,question（问题）,tags,alternates,extra column',
      '带身份证,怎么办居住证,户籍 | 居住证,"居住证怎么办\n办居住证",ignored',
      '到窗口办理,没有编号的问题,,,',
    ].join('\n');
    const path = file('loose.csv', csv);
    const parsed = await parseFaqCsv(path);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records[0]).toEqual({
      location: 'line 2',
      entry: {
        kind: 'faq', id: expect.stringMatching(/^faq-[0-9a-f]{16}$/), source: 'faq-sheet', question: '怎么办居住证',
        alternates: ['居住证怎么办', '办居住证'], answer: '带身份证', tags: ['户籍', '居住证'], followUps: [], matterId: null,
      },
    });
    // The row after a multi-line cell starts on line 4 but is the third row in Excel.
    expect(parsed.records[1]!.location).toBe('line 4 (row 3)');
    // Same question, same id: a second import updates in place instead of duplicating.
    const store = freshStore();
    expect(importParsed(store, parsed, 't').created).toBe(2);
    expect(importParsed(store, await parseFaqCsv(path), 't')).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('reports each broken row with its line and imports every other row', async () => {
    const csv = [
      'id,question,alternates,answer,tags,matter_id,follow_ups,department,status', // line 1
      'f1,护照怎么办,,带身份证,,,,,', //                                                  2
      'f2,"他说"你好"",,答案二,,,,,', //                 3: text after a closing quote
      'f3,问题三,,,,,,,', //                             4: no answer
      'f1,重复的编号,,答案,,,,,', //                      5: f1 again
      'f4,"多行', //                                     6: one row over two lines
      '问题",,答案四,,,,,', //                            7
      'f5,"没有闭合的引号,,答案五,,,,,', //                8: the quote runs on into line 10
      'f6,问题六,,答案六,,,,,', //                         9: still read, after the resync
      'f7,他说"你好",,答案七,,,,,', //                    10: quote inside an unquoted cell
      'f8,问题八,,答案八,,,,,', //                        11
      'f9,草稿问题,,草稿答案,,,,,draft', //               12: drafts are not published by an import
      'f10,问题十,,答案, 没有引号的逗号,,,,,published', // 13: one cell too many
    ].join('\r\n');
    const store = freshStore();
    const report = importParsed(store, await parseFaqCsv(file('broken.csv', csv)), 'test');
    expect(report.problems.map((p) => [p.location, p.id ?? null])).toEqual([
      ['line 3', null],
      ['line 4', 'f3'],
      ['line 8 (row 7)', null],
      ['line 10 (row 9)', null],
      ['line 12 (row 11)', 'f9'],
      ['line 13 (row 12)', null],
      ['line 5', 'f1'],
    ]);
    const reasons = report.problems.map((p) => p.reason);
    expect(reasons[0]).toMatch(/引号不配对/);
    expect(reasons[1]).toBe('缺少 answer（答案）');
    expect(reasons[2]).toMatch(/引号不配对/);
    expect(reasons[3]).toMatch(/引号位置不对/);
    expect(reasons[4]).toMatch(/草稿/);
    expect(reasons[5]).toMatch(/多于表头的 9 列/);
    expect(reasons[6]).toBe('duplicate id f1 (first at line 2)');
    expect(report).toMatchObject({ created: 4, rejected: 7 });
    expect(live(store).map((e) => e.id)).toEqual(['f1', 'f4', 'f6', 'f8']);
    expect(store.getLive('f1')?.entry).toMatchObject({ question: '护照怎么办' });
    expect(store.getLive('f4')?.entry).toMatchObject({ question: '多行\n问题' });
  });

  it('reports a quote left open at the end with the line it starts on', async () => {
    const csv = 'id,question,answer\nf1,问题一,答案一\nf2,"问题二,答案二\n';
    const parsed = await parseFaqCsv(file('open.csv', csv));
    expect(parsed.records.map((r) => r.location)).toEqual(['line 2']);
    expect(parsed.problems).toEqual([{ location: 'line 3', reason: expect.stringMatching(/引号没有闭合/) }]);
  });

  it('refuses a sheet without a question or answer column, naming the file', async () => {
    const path = file('no-answer-column.csv', 'id,question,tags\nf1,问题,\n');
    await expect(parseFaqCsv(path)).rejects.toThrow(/no-answer-column\.csv.*answer（答案）/);
  });

  it('reads GB18030, which Chinese Excel writes for plain "CSV"', async () => {
    // "问题,答案\n中文,中文" with the Chinese in GBK bytes (中 D6D0, 文 CEC4).
    const bytes = Buffer.concat([
      Buffer.from('question,answer\n'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from(','),
      Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('\n'),
    ]);
    const parsed = await parseFaqCsv(file('gbk.csv', bytes));
    expect(parsed.records[0]!.entry).toMatchObject({ question: '中文', answer: '中文' });
  });
});

describe('FAQ sheet, XLSX', () => {
  it('round-trips every FAQ field', async () => {
    const buffer = await writeFaqXlsx(sheetFaqs);
    const store = await roundTrip(file('round.xlsx', buffer), parseFaqXlsx);
    expect(live(store)).toEqual([...sheetFaqs].sort(byId));
  });

  it('reads rich text, links and formulas as plain text; reports bad rows by their Excel row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('问答');
    workbook.addWorksheet('ignored').addRow(['not', 'read']);
    sheet.addRow(['id', 'question', 'answer', 'tags']);
    sheet.addRow(['x1', { richText: [{ text: '社保' }, { text: '怎么查', font: { bold: true } }] },
      { text: '点此查询', hyperlink: 'https://si.12333.gov.cn/' }, '社保|查询']); // row 2
    sheet.addRow(['x2', '问题二', '']); // row 3: no answer
    sheet.addRow(['x3', { formula: '"公积金"&"提取"', result: '公积金提取' }, '答案三']); // row 4
    sheet.addRow(['x4', '问题四', { error: '#N/A' }]); // row 5: an error value, not an answer
    sheet.addRow([]); // row 6: blank, skipped
    sheet.addRow(['x1', '重复', '答案']); // row 7: x1 again
    sheet.addRow([123, '数字编号', { text: 'https://www.gov.cn/', hyperlink: 'https://www.gov.cn/' }]); // row 8
    const path = file('bad.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));

    const store = freshStore();
    const report = importParsed(store, await parseFaqXlsx(path), 'test');
    expect(report.problems).toEqual([
      { location: 'row 3', id: 'x2', reason: '缺少 answer（答案）' },
      { location: 'row 5', id: 'x4', reason: 'answer（答案）单元格是错误值 #N/A' },
      { location: 'row 7', id: 'x1', reason: 'duplicate id x1 (first at row 2)' },
    ]);
    expect(live(store).map((e) => e.id)).toEqual(['123', 'x1', 'x3']);
    expect(store.getLive('x1')?.entry).toMatchObject({
      question: '社保怎么查', answer: '点此查询 (https://si.12333.gov.cn/)', tags: ['社保', '查询'],
    });
    expect(store.getLive('x3')?.entry).toMatchObject({ question: '公积金提取' });
    expect(store.getLive('123')?.entry).toMatchObject({ answer: 'https://www.gov.cn/' });
  });

  it('refuses a file that is not a workbook, naming it', async () => {
    const path = file('not-a-workbook.xlsx', 'id,question,answer\n');
    await expect(parseFaqXlsx(path)).rejects.toThrow(/not-a-workbook\.xlsx/);
  });
});

it('writes CSV that keeps the BOM out of the data', () => {
  const csv = writeFaqCsv([faq('f1')]);
  expect(readFileSync(file('bom.csv', csv)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(csv.split('\r\n')[1]).toBe('f1,问题f1,,答案f1,,,,,published,test,,');
});
