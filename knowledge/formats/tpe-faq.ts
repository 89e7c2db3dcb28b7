// Taipei City Government FAQ (data.taipei open data): <xmlmessage><datas><data>…,
// Traditional Chinese, answers as entity-escaped HTML. See ../shared/data/README.md.
import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Faq } from '../model.ts';
import type { ParsedRecord, ParsedSource, SourceProblem } from './types.ts';
import { decodeEntities, htmlToText } from './text.ts';

type Row = Record<string, unknown>;

const parser = new XMLParser({
  // Every value stays the string the city wrote: "0800" must not become 800.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  // Answers keep their own line breaks; fields are trimmed here, one by one.
  trimValues: false,
  // The XML layer holds only &lt; &gt; &amp;; the HTML entities inside are htmlToText's job.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'data',
});

/** A field as one line of text; repeated or empty elements give ''. */
function field(row: Row, name: string): string {
  const value = row[name];
  return typeof value === 'string' ? decodeEntities(value).replace(/\s+/g, ' ').trim() : '';
}

function keywords(value: string): string[] {
  const tags = value.split(/[,，、]/).map((k) => k.trim()).filter((k) => k !== '' && !/^q\s*&?\s*a$/i.test(k));
  return [...new Set(tags)];
}

/** Tag on entries imported without an answer of their own. */
export const INCOMPLETE_TAG = '待補答案';

/** The links an entry carries outside its answer, to tell staff why an empty one is empty. */
function sideLinks(row: Row): string[] {
  const links = Array.isArray(row.link) ? row.link : [row.link];
  return links.filter((l): l is string => typeof l === 'string').map((l) => l.trim()).filter((l) => /^https?:\/\//i.test(l));
}

/** Maps one <data> element onto an FAQ entry, or says why it cannot be one. */
export function tpeFaqFromRow(row: Row, location: string): ParsedRecord | SourceProblem {
  const id = field(row, 'data_id');
  if (id === '') return { location, reason: 'missing data_id' };
  const question = field(row, 'news_title');
  if (question === '') return { location, reason: 'empty question (news_title)', id };
  const content = row.news_content;
  const department = field(row, 'deptName');
  const contactName = field(row, 'contact');
  const contactPhone = field(row, 'contact_phone');
  let answer = typeof content === 'string' ? htmlToText(content) : '';
  // The city published a few questions whose answer is only an attachment, or
  // nothing: keep the entry (its id is the city's) with an answer that says
  // exactly that and where to ask, tagged so staff can find and complete it.
  const incomplete = answer === '';
  if (incomplete) {
    const links = sideLinks(row);
    const who = [contactName || department, contactPhone].filter(Boolean).join('，電話');
    answer = links.length > 0 ? `詳見附件：${links.join(' ')}` : `此問答尚未提供答案內容${who ? `，請洽${who}` : ''}。`;
  }
  const entry: Faq = {
    kind: 'faq',
    id,
    source: 'tpe-faq',
    question,
    alternates: [],
    answer,
    followUps: [],
    matterId: null,
    tags: [...keywords(field(row, 'keyword')), ...(incomplete ? [INCOMPLETE_TAG] : [])],
    ...(department ? { department } : {}),
    ...(contactName || contactPhone ? {
      contact: { ...(contactName ? { name: contactName } : {}), ...(contactPhone ? { phone: contactPhone } : {}) },
    } : {}),
  };
  return { location, entry };
}

export async function parseTpeFaq(path: string): Promise<ParsedSource> {
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the Taipei FAQ file ${path}: ${(error as Error).message}`, { cause: error });
  }
  // The parser is lenient and would return a truncated file as a shorter list: check first.
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new Error(`${path} is not well-formed XML (line ${line}, column ${col}): ${msg}`);
  }
  const document = parser.parse(xml) as { xmlmessage?: { datas?: { data?: unknown[] } | '' } };
  const datas = document.xmlmessage?.datas;
  if (datas === undefined) throw new Error(`${path} has no <xmlmessage><datas>: not a Taipei FAQ export`);
  const rows = typeof datas === 'object' ? datas.data ?? [] : [];

  const records: ParsedRecord[] = [];
  const problems: SourceProblem[] = [];
  rows.forEach((row, index) => {
    const fallback = `record ${index + 1}`;
    if (typeof row !== 'object' || row === null) {
      problems.push({ location: fallback, reason: 'empty <data> element' });
      return;
    }
    const id = field(row as Row, 'data_id');
    const result = tpeFaqFromRow(row as Row, id ? `data_id ${id}` : fallback);
    if ('entry' in result) records.push(result);
    else problems.push(result);
  });
  return { records, problems };
}
