import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeStore, openDatabase } from '../store.ts';
import { importParsed } from '../import.ts';
import { checkEntry } from '../validate.ts';
import type { Faq } from '../model.ts';
import type { ParsedSource } from './types.ts';
import { parseTpeFaq } from './tpe-faq.ts';
import { sharedDataPath } from '../../test/shared-data.ts';

let parsed: ParsedSource;
const byId = new Map<string, Faq>();

beforeAll(async () => {
  parsed = await parseTpeFaq(sharedDataPath('tpe-faq.xml'));
  for (const record of parsed.records) {
    const faq = record.entry as Faq;
    byId.set(faq.id, faq);
  }
});

function faqById(id: string): Faq {
  const faq = byId.get(id);
  if (!faq) throw new Error(`FAQ ${id} not parsed`);
  return faq;
}

describe('parseTpeFaq on the real export', () => {
  it('imports all 1,877 entries; the 2 without an answer say where the answer is, tagged for staff', () => {
    expect(parsed.records).toHaveLength(1877);
    expect(parsed.problems).toEqual([]);
    // Its only content is a PDF in <link>: the answer points there.
    expect(faqById('GIP_128607318')).toMatchObject({
      answer: '詳見附件：http://www.uro.taipei.gov.tw/public/MMO/URO/20100513_簡明版QA.pdf', tags: ['待補答案'],
    });
    // Nothing at all: the answer says so and names the contact, never inventing one.
    expect(faqById('GIP_178751882')).toMatchObject({ answer: '此問答尚未提供答案內容，請洽藝文推廣處，電話1999。', tags: ['待補答案'] });
  });

  it('produces entries that all validate, with no tag, entity or U+FFFD left in an answer', () => {
    const invalid = parsed.records.filter((record) => checkEntry(record.entry).length > 0);
    expect(invalid).toEqual([]);
    const dirty = [...byId.values()].filter((f) =>
      /<\/?[a-z][^>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+\d*);|\ufffd/i.test(f.answer));
    expect(dirty.map((f) => f.id)).toEqual([]);
  });

  it('keeps an answer that is only a link as "text (URL)" (交通違規簡訊服務常見問答)', () => {
    expect(faqById('GIP_94145712')).toEqual({
      kind: 'faq', id: 'GIP_94145712', source: 'tpe-faq',
      question: '交通違規簡訊服務常見問答',
      answer: '交通違規簡訊服務常見問題集 (http://210.71.208.34/TcpdSmsWeb/qa_a.aspx)',
      alternates: [], followUps: [], matterId: null,
      tags: ['交通違規', '簡訊服務'],
      department: '臺北市政府警察局交通警察大隊',
      // "1999" stays the string the city wrote.
      contact: { name: '交通警察大隊', phone: '1999' },
    });
  });

  it('keeps both links of an answer with <br />, without doubling the URL the text repeats', () => {
    const faq = faqById('GIP_99470311');
    expect(faq.question).toBe('哪裡可以取得托育(保母)人員專業訓練上課訊息？');
    // The author wrote the first URL after the link himself; the second link's URL has
    // "&" in an unquoted href.
    expect(faq.answer).toBe('社會局於網站公告訓練消息,本局網站(http://www.dosw.tcg.gov.tw/)，路徑：嬰幼兒照顧服務\\兒童方案補助及訓練公告\\'
      + '托育(保母)人員專業訓練課程 (http://www.dosw.tcg.gov.tw/i/i0300.asp?fix_code=2705034&group_type=1&l1_code=27&l2_code=05)。');
    // The keyword list ends in "QA", which says nothing.
    expect(faq.tags).toEqual(['兒童托育', '新生兒', '兒童', '托育']);
  });

  it('numbers list items and joins lines the editor hard-wrapped mid-word (違法濫葬的處理)', () => {
    const answer = faqById('GIP_179784909').answer;
    expect(answer).toMatch(/^違法濫葬的形態：\n\n1\. 在公墓以外的地點埋葬遺體。\n/);
    expect(answer).toContain('\n2. 骨灰或起掘之骨骸');
    // The source has "曾申\n請預留": one word.
    expect(answer).toContain('曾申請預留使用墓基者');
    expect(answer).not.toMatch(/\n{3}/);
  });

  it('decodes entities in questions too', () => {
    expect(faqById('GIP_104704125').question).toBe('交通維持>捷運萬大線工程路線範圍為何？');
  });

  it('imports into the store: 1,877 created, then all unchanged', () => {
    const store = new KnowledgeStore(openDatabase(':memory:'));
    const first = importParsed(store, parsed, 'test');
    expect(first).toMatchObject({ created: 1877, updated: 0, unchanged: 0, rejected: 0 });
    const second = importParsed(store, parsed, 'test');
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 1877, rejected: 0 });
  });
});

describe('parseTpeFaq on hand-made files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'banshi-tpe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const data = (fields: string): string => `<data>${fields}</data>`;

  it('reports unusable records by data_id or position and keeps values as written', async () => {
    const path = join(dir, 'faq.xml');
    writeFileSync(path, '<?xml version="1.0" encoding="UTF-8"?><xmlmessage><datas>'
      + data('<data_id>00123</data_id><news_title> 問題 </news_title><news_content>答&amp;lt;案&amp;gt;</news_content>'
        + '<keyword>QA, 甲 ，乙、甲</keyword><contact></contact><contact_phone>0800</contact_phone>')
      + data('<news_title>沒有編號</news_title><news_content>答</news_content>')
      + data('<data_id>X2</data_id><news_title>空白答案</news_title><news_content>&lt;p&gt;&amp;nbsp;&lt;/p&gt;</news_content>')
      + '</datas></xmlmessage>');
    const result = await parseTpeFaq(path);
    expect(result.records.slice(0, 1)).toEqual([{
      location: 'data_id 00123',
      entry: {
        kind: 'faq', id: '00123', source: 'tpe-faq', question: '問題', answer: '答<案>', alternates: [], followUps: [],
        matterId: null, tags: ['甲', '乙'], contact: { phone: '0800' },
      },
    }]);
    expect(result.problems).toEqual([{ location: 'record 2', reason: 'missing data_id' }]);
    expect(result.records[1]).toMatchObject({ location: 'data_id X2', entry: { answer: '此問答尚未提供答案內容。', tags: ['待補答案'] } });
  });

  it('throws an error naming a file that is missing or not well-formed', async () => {
    const missing = join(dir, 'nope.xml');
    await expect(parseTpeFaq(missing)).rejects.toThrow(missing);
    const truncated = join(dir, 'truncated.xml');
    writeFileSync(truncated, '<xmlmessage><datas><data><data_id>1</data_id>');
    await expect(parseTpeFaq(truncated)).rejects.toThrow(/truncated\.xml is not well-formed XML/);
  });
});
