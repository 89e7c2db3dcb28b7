// Guangdong government service matters (gdzwfw.gov.cn export): one JSON object per
// line, each a matter guide. See ../shared/data/README.md for the fields.
import { readFile } from 'node:fs/promises';
import type { Location, Material, Matter } from '../model.ts';
import type { ParsedRecord, ParsedSource, SourceProblem } from './types.ts';
import { parseNumber, parseTimeLimit } from './text.ts';

type Row = Record<string, unknown>;

/** A trimmed string field with inner whitespace collapsed; '' for "无", null or non-strings. */
function text(value: unknown): string {
  if (typeof value !== 'string') return '';
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '无' ? '' : trimmed;
}

function distinct(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}

/** A list field: an array of strings, or a single string; "无" is no list. */
function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return distinct(items.map(text));
}

function httpUrl(value: unknown): string | undefined {
  const url = typeof value === 'string' ? value.trim() : '';
  return /^https?:\/\/\S+$/i.test(url) ? url : undefined;
}

// Wording that makes a material conditional: 如有, 若有, 如适用, 可选 …
const CONDITIONAL = /如有|若有|如适用|如需|如已|如果|如涉|如属|如系|若需|若为|可选|选填|选交|非必[须要]|才需|时需提供/;
// A leading "X的，" clause says when the material applies ("单位申报的，提供…",
// "单位转制的提供…"); the verb must be whole: "事故的应急方案" is no condition.
const LEADING_CONDITION = /^[^，,；;]{1,40}?的(?:[，,]|还应|还需|还须|应当|[应须需](?:提供|提交|附)|提供|提交|交验)/;
// A trailing bracket that states a condition: "（委托办理的）", "（仅注册证书遗失时）", "（适用于…）".
const CONDITION_NOTE = /^(如|若|仅在|仅.+时$|适用于)|的$|需要$|才需/;
const NUM = '[0-9０-９一二两三四五六七八九十]+';
const FORM_WORDS = '原件(?:及|和|与|、|/|并)?复印件|原件|复印件|复印本|电子版|电子件|扫描件';
const FORM_NOTE = new RegExp(`^(${FORM_WORDS})?\\s*(一式|各)?\\s*(${NUM}\\s*份)?$`);
const FORM_SUFFIX = new RegExp(`的?(?:${FORM_WORDS})\\s*(?:一式|各)?\\s*(?:${NUM}\\s*份)?$|(?:一式|各)?\\s*${NUM}\\s*份$`);
const ELECTRONIC = /电子版|电子件|电子文档|电子文件|电子照片|电子数据|扫描件|扫描上传|(txt|pdf|word|doc|jpg)格式/i;

function count(pattern: string, wording: string): number | null {
  const match = new RegExp(pattern).exec(wording);
  return match ? parseNumber(match[1]!) : null;
}

/**
 * Reads one material line ("身份证原件及复印件", "授权委托书（委托办理的）"): the form,
 * the counts, whether it is conditional. The name loses those qualifiers; what was
 * taken off is kept in notes so no wording is lost.
 */
export function parseMaterial(raw: string): Material {
  const wording = raw.replace(/\s+/g, ' ').trim().replace(/[；;。，,、\s]+$/, '');
  let name = wording;
  const removed: string[] = [];
  let conditional = CONDITIONAL.test(wording) || LEADING_CONDITION.test(wording);
  // Peel trailing brackets that only qualify the material, then a trailing form word.
  for (;;) {
    const bracket = /\s*[（(]([^（）()]*)[）)]$/.exec(name);
    if (!bracket || bracket.index === 0) break;
    const note = bracket[1]!.trim();
    const isCondition = CONDITION_NOTE.test(note);
    if (!isCondition && !(note !== '' && FORM_NOTE.test(note))) break;
    conditional ||= isCondition;
    removed.unshift(note);
    name = name.slice(0, bracket.index);
  }
  const suffix = FORM_SUFFIX.exec(name);
  // "身份证原件或社保卡原件": a form word used twice belongs to the wording, not the name.
  const formWords = name.match(/原件|复印件/g)?.length ?? 0;
  if (suffix && suffix.index > 0 && formWords <= (/原件.*复印件/.test(suffix[0]) ? 2 : 1)) {
    removed.unshift(suffix[0].replace(/^的/, ''));
    name = name.slice(0, suffix.index);
  }

  const hasOriginal = wording.includes('原件');
  const hasCopy = /复印件|复印本/.test(wording);
  const form: Material['form'] = hasOriginal && hasCopy ? 'both' : hasOriginal ? 'original'
    : hasCopy ? 'copy' : ELECTRONIC.test(wording) ? 'electronic' : 'unspecified';
  const originalsSaid = count(`原件\\s*(${NUM})\\s*份`, wording);
  const copiesSaid = count(`复印件\\s*(${NUM})\\s*份`, wording);
  const eachSaid = count(`各\\s*(${NUM})\\s*份`, wording);
  const setsSaid = count(`(?:一式\\s*)?(${NUM})\\s*份`, wording);
  const counts: Record<Material['form'], [originals: number, copies: number]> = {
    both: [originalsSaid ?? eachSaid ?? 1, copiesSaid ?? eachSaid ?? (originalsSaid === null ? setsSaid : null) ?? 1],
    original: [originalsSaid ?? setsSaid ?? 1, 0],
    copy: [0, copiesSaid ?? setsSaid ?? 1],
    electronic: [0, 0],
    // "一式两份" with no form: two signed sets, i.e. originals.
    unspecified: [setsSaid ?? 0, 0],
  };
  const [originals, copies] = counts[form];

  return {
    name: name.trim() || wording,
    form,
    originals,
    copies,
    required: !conditional,
    ...(removed.length > 0 ? { notes: removed.join('；') } : {}),
  };
}

/**
 * Phone numbers in a contact field. The field is sometimes a list ("020-1、020-2"),
 * sometimes prose with addresses, URLs, e-mails, postcodes and office hours, so the
 * numbers are picked out rather than the text split.
 */
export function extractPhones(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const prose = value
    .replace(/https?:\/\/[\x21-\x7e]*/gi, ' ')
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/[－—–]/g, '-');
  const phones: string[] = [];
  const candidates = /(?<![\w@])(?:[(（]\s*\+?\d+\s*[)）]\s*)?\+?\d[\d \-]*\d(?:\s*转\s*\d+)?(?![\w@])/g;
  for (const [candidate] of prose.matchAll(candidates)) {
    const tidy = candidate.replace(/\s*-\s*/g, '-').trim();
    // Two full numbers separated by a space are two numbers; "020-8923 2806" is one.
    const parts = tidy.split(/\s+/);
    const numbers = parts.length > 1 && parts.every((p) => p.replace(/\D/g, '').length >= 7) ? parts : [tidy];
    for (const number of numbers) {
      const digits = number.replace(/\D/g, '');
      // Shorter runs are office hours, extensions, postcodes; 5-digit 1xxxx/9xxxx are hotlines (12345).
      if (digits.length >= 7 || /^[19]\d{4}$/.test(digits)) phones.push(number);
    }
  }
  return distinct(phones);
}

/** Office addresses; several are listed with "；" or as "…（窗口）、…". */
function locations(value: unknown): Location[] {
  const where = text(value).replace(/^办理地点[：:]\s*/, '');
  if (where === '' || /^无(线下办理窗口)?$/.test(where)) return [];
  return where
    .split(/[；;]|(?<=[)）])、/)
    .map((address) => address.trim())
    .filter((address) => address !== '')
    .map((address) => ({ address }));
}

/** What sets a variant apart: its sub-case, else the part of its name its catalogue name lacks. */
function variantOf(row: Row, name: string, baseName: string): string | undefined {
  const sub = text(row.subTaskName).replace(/^[（(](.*)[）)]$/, '$1').trim();
  if (sub !== '') return sub;
  if (baseName === '' || name === baseName) return undefined;
  // The common ending first ("…注销注册" of "…注册"), then the common beginning of what is left.
  let end = 0;
  while (end < name.length && end < baseName.length
    && name[name.length - 1 - end] === baseName[baseName.length - 1 - end]) end++;
  if (end < 2) end = 0; // one shared character ("…审") is chance, not structure
  let start = 0;
  while (start < name.length - end && start < baseName.length - end && name[start] === baseName[start]) start++;
  if (start < 2) start = 0;
  const middle = name.slice(start, name.length - end)
    .replace(/^[\s、，,的和及与或]+|[\s、，,的和及与或]+$/g, '')
    .replace(/^[（(]([^（）()]*)[）)]$/, '$1');
  // Too short or cut through a bracket, the difference would mislead: the whole name
  // says it. So does a name that is only part of its catalogue name ("…初审" of "…初审、审定、复查").
  const balanced = (middle.match(/[（(]/g)?.length ?? 0) === (middle.match(/[）)]/g)?.length ?? 0)
    && !/^[）)]|[（(]$/.test(middle);
  return middle.length >= 2 && balanced ? middle : name;
}

function courier(value: unknown): Matter['courier'] {
  if (value === '是') return 'yes';
  return value === '否' || value === '不支持' ? 'no' : 'unknown';
}

/** Maps one export row onto a matter; the caller has checked TASK_CODE and TASK_NAME. */
export function gdMatterFromRow(row: Row): Matter {
  // "X(（企业）)" is the portal wrapping an already bracketed sub-case.
  const name = (text(row.TASK_NAME) || text(row.matter_name)).replace(/[(（]([（(][^()（）]*[)）])[)）]$/, '$1');
  const baseName = text(row.parentCatalogName) || text(row.CATANAME);
  const variant = variantOf(row, name, baseName);
  const matterType = text(row.matter_type) || text(row.TASK_TYPE_TEXT);
  const platform = text(row.bear_paltform);
  const available = row.ONLINECHECK === '1' || platform !== '';
  const visits = typeof row.visit_number === 'string' && /^\d+$/.test(row.visit_number.trim())
    ? Number(row.visit_number) : null;
  const url = httpUrl(row.URL);
  const bookingUrl = httpUrl(row.online_book_addr);
  const department = text(row.DEPT_NAME);
  const region = text(row.AREA_CODE_TEXT);
  const level = text(row.matter_level);

  return {
    kind: 'matter',
    id: text(row.TASK_CODE),
    source: 'gd-matters',
    name,
    aliases: distinct([text(row.matter_name), text(row.subCatalogName), text(row.matter_short)]).filter((a) => a !== name),
    // Optional fields are left out rather than set to '' so an empty value never passes for a fact.
    ...(baseName ? { baseName } : {}),
    ...(variant ? { variant } : {}),
    ...(matterType ? { matterType } : {}),
    ...(department ? { department } : {}),
    ...(region ? { region } : {}),
    ...(level ? { level } : {}),
    themes: list(row.theme_category),
    applicants: list(row.service_object_name),
    conditions: text(row.accept_standard),
    materials: list(row.material_intro).map(parseMaterial),
    // The export has no fee field: "not recorded" is the truth, never "free".
    fees: { status: 'not_recorded', items: [] },
    timeLimits: {
      legal: parseTimeLimit(text(row.handle_time)),
      promised: parseTimeLimit(text(row.handle_time_limit)),
    },
    locations: locations(row.handle_location),
    phones: { consult: extractPhones(row.consult_phone), complaint: extractPhones(row.complain_phone) },
    online: {
      available,
      fullyOnline: available && visits === 0,
      ...(platform ? { platform } : {}),
      ...(url ? { url } : {}),
      ...(bookingUrl ? { bookingUrl } : {}),
    },
    visits,
    courier: courier(row.courier_service),
    // The export has no steps or legal basis: none are invented.
    steps: [],
    legalBasis: [],
    faqIds: [],
    tags: [],
    ...(url ? { sourceUrl: url } : {}),
  };
}

/** Turns one line into a record or a problem; never throws. */
function parseLine(line: string, location: string): ParsedRecord | SourceProblem {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (error) {
    return { location, reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    return { location, reason: 'not a JSON object' };
  }
  const fields = row as Row;
  const id = text(fields.TASK_CODE);
  const missing = ['TASK_CODE', 'TASK_NAME'].filter((key) => text(fields[key]) === '');
  if (missing.length > 0) {
    return { location, reason: `missing ${missing.join(' and ')}`, ...(id ? { id } : {}) };
  }
  try {
    return { location, entry: gdMatterFromRow(fields) };
  } catch (error) {
    // A field of a shape never seen before must cost one row, not the import.
    return { location, reason: `unreadable row: ${(error as Error).message}`, id };
  }
}

export async function parseGdMatters(path: string): Promise<ParsedSource> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the Guangdong matters file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const records: ParsedRecord[] = [];
  const problems: SourceProblem[] = [];
  content.replace(/^\ufeff/, '').split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const result = parseLine(line, `line ${index + 1}`);
    if ('entry' in result) records.push(result);
    else problems.push(result);
  });
  return { records, problems };
}
