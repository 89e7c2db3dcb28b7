// The FAQ sheet staff keep in Excel or as CSV: one FAQ per row, one header row.
//
// Columns (the header names are these English keys, so they stay stable whatever
// language the sheet is annotated in; a header may carry a note after the key,
// e.g. "question 问题", and the order is free):
//   id, question, alternates, answer, tags, matter_id, follow_ups, department,
//   status, source, contact_name, contact_phone
// Only question and answer are required. `source` defaults to 'faq-sheet';
// source and the contact columns are written on export so that editing an
// exported sheet and importing it again loses nothing.
//
// List cells (alternates, tags, follow_ups) hold one item per line. A cell with no
// line break may separate items with `|` instead, which is quicker to type. The
// writer always uses line breaks, and ends a single item that contains `|` with a
// line break, so a `|` inside an item survives the round trip.
//
// status is 'published' (or 已发布, or empty). Rows marked draft (草稿) are reported
// and not imported, because an import publishes what it reads at once.
//
// Cells are trimmed, line endings become "\n", and a line break inside a list
// item becomes a space: the sheet cannot tell those apart, so they are normalised.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import ExcelJS, { type CellValue } from 'exceljs';
import { KnowledgeError } from '../errors.ts';
import type { Faq } from '../model.ts';
import type { ParsedRecord, ParsedSource, SourceProblem } from './types.ts';

export const FAQ_SHEET_COLUMNS = [
  'id', 'question', 'alternates', 'answer', 'tags', 'matter_id', 'follow_ups', 'department',
  'status', 'source', 'contact_name', 'contact_phone',
] as const;
export type FaqSheetColumn = (typeof FAQ_SHEET_COLUMNS)[number];
export const FAQ_SHEET_SOURCE = 'faq-sheet';

const REQUIRED_COLUMNS: readonly FaqSheetColumn[] = ['question', 'answer'];
const COLUMN_LABELS: Record<FaqSheetColumn, string> = {
  id: '编号', question: '问题', alternates: '其他问法', answer: '答案', tags: '标签', matter_id: '关联事项',
  follow_ups: '后续问题', department: '部门', status: '状态', source: '来源', contact_name: '联系人',
  contact_phone: '联系电话',
};

type SheetRow = Partial<Record<FaqSheetColumn, string>>;

// ---------------------------------------------------------------------------
// Reading

/**
 * Reads a CSV FAQ sheet (UTF-8 with or without BOM; GB18030, which Chinese Excel
 * writes by default, is recognised too). Locations are "line N", N being the
 * file line where the row starts (the header is line 1); when earlier cells
 * span several lines, the row number Excel shows is added: "line 9 (row 7)".
 * A row with broken quoting is reported and parsing resumes on the next line,
 * so one bad row never hides the rest. A row without an id gets
 * `faq-` + the first 16 hex digits of the SHA-256 of its question, so importing
 * the same sheet again updates the same entry.
 */
export async function parseFaqCsv(path: string): Promise<ParsedSource> {
  const bytes = Buffer.from(decodeCsv(await readFile(path), path), 'utf8');
  const lineStarts = lineStartOffsets(bytes);
  const problems: SourceProblem[] = [];
  const records: ParsedRecord[] = [];
  let columns: (FaqSheetColumn | null)[] | null = null;
  let row = 0;
  let line = 1;
  while (line <= lineStarts.length) {
    const chunkStart = lineStarts[line - 1]!;
    // Where the record being read starts. Lines are found from byte offsets because
    // csv-parse counts a CRLF inside a quoted cell as two lines.
    let recordStart = chunkStart;
    const locate = (): { start: number; location: string } => {
      const start = lineAt(lineStarts, recordStart);
      row++;
      return { start, location: row === start ? `line ${start}` : `line ${start} (row ${row})` };
    };
    try {
      parseCsv(bytes.subarray(chunkStart), {
        relax_column_count: true,
        // Empty lines come through as records (and are skipped as blank rows) so rows are counted as Excel does.
        skip_empty_lines: false,
        on_record: (fields: string[], context) => {
          const { start, location } = locate();
          recordStart = chunkStart + context.bytes;
          if (columns === null) columns = headerColumns(fields, path, `第 ${start} 行`);
          else if (fields.slice(columns.length).some((f) => f.trim() !== '')) {
            // Cells past the header mean the row's columns have shifted, usually an unquoted comma.
            problems.push({ location, reason: `这一行有 ${fields.length} 个单元格，多于表头的 ${columns.length} 列（单元格里有英文逗号时，要用双引号把整个单元格包起来）` });
          } else {
            const outcome = rowToRecord(rowFromFields(columns, fields), location);
            if (outcome && 'entry' in outcome) records.push(outcome);
            else if (outcome) problems.push(outcome);
          }
          return null;
        },
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const { start, location } = locate();
      if (columns === null) {
        throw new KnowledgeError('BAD_IMPORT', [`${path}: 表头（第 ${start} 行）${csvErrorReason(error)}`], { cause: error });
      }
      problems.push({ location, reason: csvErrorReason(error) });
      // Resume on the line after the start of the broken row: a quote left open
      // would otherwise swallow every row after it.
      line = start + 1;
    }
  }
  if (columns === null) throw new KnowledgeError('BAD_IMPORT', [`${path}: 文件是空的，缺少表头`]);
  return { records, problems };
}

/**
 * Reads the first worksheet of an XLSX FAQ sheet. Locations are "row N" as Excel
 * numbers them (the header is row 1). Rich text is read as its plain text, a
 * hyperlink as "text (url)" (the model's convention for links in answers) or the
 * url alone, a formula as its cached result; an error value (#N/A …) rejects the row.
 * Ids missing from a row are generated as for CSV.
 */
export async function parseFaqXlsx(path: string): Promise<ParsedSource> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new KnowledgeError('BAD_IMPORT', [`${path}: 无法读取 XLSX 文件（${(error as Error).message}）`], { cause: error });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new KnowledgeError('BAD_IMPORT', [`${path}: 第一个工作表是空的，缺少表头`]);
  const headerCells: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    const text = cellText(cell.value);
    headerCells[col - 1] = typeof text === 'string' ? text : '';
  });
  const columns = headerColumns(Array.from(headerCells, (h) => h ?? ''), path, '第 1 行');
  const records: ParsedRecord[] = [];
  const problems: SourceProblem[] = [];
  sheet.eachRow({ includeEmpty: false }, (sheetRow, rowNumber) => {
    if (rowNumber === 1) return;
    const location = `row ${rowNumber}`;
    const row: SheetRow = {};
    const errors: string[] = [];
    columns.forEach((column, i) => {
      if (!column) return;
      const text = cellText(sheetRow.getCell(i + 1).value);
      if (typeof text === 'string') row[column] = text;
      else errors.push(`${column}（${COLUMN_LABELS[column]}）单元格是错误值 ${text.error}`);
    });
    if (errors.length > 0) {
      problems.push({ location, reason: errors.join('；'), ...(row.id ? { id: normaliseCell(row.id) } : {}) });
      return;
    }
    const outcome = rowToRecord(row, location);
    if (outcome && 'entry' in outcome) records.push(outcome);
    else if (outcome) problems.push(outcome);
  });
  return { records, problems };
}

function decodeCsv(bytes: Buffer, path: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: Excel on a Chinese Windows saves "CSV" in GB18030 (a superset of GBK).
    try {
      text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch (error) {
      throw new KnowledgeError('BAD_IMPORT', [`${path}: 文件编码无法识别，请另存为“CSV UTF-8”`], { cause: error });
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Byte offsets where each line starts; a line ends at \r\n, \n or \r (never part of a UTF-8 sequence). */
function lineStartOffsets(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
    if ((b === 0x0d || b === 0x0a) && i + 1 < bytes.length) starts.push(i + 1);
  }
  return starts;
}

/** The 1-based line holding a byte offset. */
function lineAt(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function csvErrorReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE': return '引号不配对：带引号的单元格在结束引号后还有字符（单元格内的引号要写成两个 ""）';
    case 'INVALID_OPENING_QUOTE': return '引号位置不对：没有用引号包起来的单元格中间出现了引号（请把整个单元格用引号包起来，内部引号写成 ""）';
    case 'CSV_QUOTE_NOT_CLOSED': return '引号没有闭合：单元格以引号开头，但直到文件结束都没有结束引号';
    default: return `CSV 格式错误（${error.code}）`;
  }
}

/** Maps header cells to known columns; unknown columns are ignored, missing required ones refuse the file. */
function headerColumns(cells: string[], path: string, location: string): (FaqSheetColumn | null)[] {
  const known = new Set<string>(FAQ_SHEET_COLUMNS);
  const seen = new Set<FaqSheetColumn>();
  const columns = cells.map((cell): FaqSheetColumn | null => {
    // "question 问题", "Question（问题）": the key is the leading ASCII word.
    const key = /^[A-Za-z_]+/.exec(cell.trim())?.[0].toLowerCase();
    if (!key || !known.has(key)) return null;
    const column = key as FaqSheetColumn;
    if (seen.has(column)) throw new KnowledgeError('BAD_IMPORT', [`${path}: 表头（${location}）中 ${column} 列出现了两次`]);
    seen.add(column);
    return column;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new KnowledgeError('BAD_IMPORT', [`${path}: 表头（${location}）缺少 ${missing.map((c) => `${c}（${COLUMN_LABELS[c]}）`).join('、')} 列`]);
  }
  return columns;
}

function rowFromFields(columns: (FaqSheetColumn | null)[], fields: string[]): SheetRow {
  const row: SheetRow = {};
  columns.forEach((column, i) => {
    if (column && fields[i] !== undefined) row[column] = fields[i];
  });
  return row;
}

const PUBLISHED = new Set(['', 'published', '已发布', '发布']);
const DRAFT = new Set(['draft', '草稿']);

/** Builds the candidate entry of one row; null for a blank row. */
function rowToRecord(raw: SheetRow, location: string): ParsedRecord | SourceProblem | null {
  const cell = (column: FaqSheetColumn): string => normaliseCell(raw[column] ?? '');
  if (FAQ_SHEET_COLUMNS.every((c) => cell(c) === '')) return null;
  const question = cell('question');
  const answer = cell('answer');
  const id = cell('id') || (question ? generatedId(question) : '');
  const reasons: string[] = [];
  for (const column of ['question', 'answer'] as const) {
    if (!cell(column)) reasons.push(`缺少 ${column}（${COLUMN_LABELS[column]}）`);
  }
  const status = cell('status').toLowerCase();
  if (DRAFT.has(status)) reasons.push('状态为草稿（draft）：导入会直接发布，草稿行未导入');
  else if (!PUBLISHED.has(status)) reasons.push(`status（状态）“${cell('status')}”无法识别，应为 published 或 draft`);
  if (reasons.length > 0) return { location, reason: reasons.join('；'), ...(id ? { id } : {}) };

  const contactName = cell('contact_name');
  const contactPhone = cell('contact_phone');
  const department = cell('department');
  const entry: Faq = {
    kind: 'faq',
    id,
    source: cell('source') || FAQ_SHEET_SOURCE,
    tags: splitList(raw.tags),
    question,
    alternates: splitList(raw.alternates),
    answer,
    followUps: splitList(raw.follow_ups),
    matterId: cell('matter_id') || null,
    ...(department ? { department } : {}),
    ...(contactName || contactPhone
      ? { contact: { ...(contactName ? { name: contactName } : {}), ...(contactPhone ? { phone: contactPhone } : {}) } }
      : {}),
  };
  return { location, entry };
}

function normaliseCell(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

function splitList(value: string | undefined): string[] {
  const text = (value ?? '').replace(/\r\n?/g, '\n');
  const items = text.includes('\n') ? text.split('\n') : text.split('|');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function generatedId(question: string): string {
  return `faq-${createHash('sha256').update(question).digest('hex').slice(0, 16)}`;
}

/** The plain text of an XLSX cell value, or the error it holds. */
function cellText(value: CellValue): string | { error: string } {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('error' in value) return { error: value.error };
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) {
    // exceljs may hand the link text over as rich text.
    const inner = cellText(value.text as CellValue);
    const text = typeof inner === 'string' ? inner : '';
    if (!text || text === value.hyperlink) return value.hyperlink;
    return text.includes(value.hyperlink) ? text : `${text} (${value.hyperlink})`;
  }
  if ('result' in value) return cellText(value.result ?? null);
  // A formula saved without its computed result: there is no text to read.
  return '';
}

// ---------------------------------------------------------------------------
// Writing

/** The sheet row of an FAQ, one string per column in FAQ_SHEET_COLUMNS order. */
function faqRow(faq: Faq): string[] {
  const values: Record<FaqSheetColumn, string> = {
    id: faq.id,
    question: faq.question,
    alternates: joinList(faq.alternates),
    answer: faq.answer,
    tags: joinList(faq.tags),
    matter_id: faq.matterId ?? '',
    follow_ups: joinList(faq.followUps),
    department: faq.department ?? '',
    // Exports hold the live entries, which are published by definition.
    status: 'published',
    source: faq.source,
    contact_name: faq.contact?.name ?? '',
    contact_phone: faq.contact?.phone ?? '',
  };
  return FAQ_SHEET_COLUMNS.map((c) => values[c]);
}

function joinList(items: string[]): string {
  const clean = items.map((item) => item.replace(/\s*[\r\n]+\s*/g, ' ').trim()).filter((item) => item !== '');
  const joined = clean.join('\n');
  // A lone item with `|` would be split on `|` when read back; a line break makes it a one-line list.
  return clean.length === 1 && joined.includes('|') ? `${joined}\n` : joined;
}

/**
 * The FAQs as an RFC 4180 CSV (CRLF between rows, quotes doubled), prefixed with
 * a UTF-8 BOM so Excel shows Chinese correctly. Line breaks inside cells are "\n".
 * Excel evaluates a cell starting with = + - @ as a formula: staff editing in
 * Excel should prefer the XLSX export, which stores every cell as text.
 */
export function writeFaqCsv(faqs: Iterable<Faq>): string {
  const lines = [[...FAQ_SHEET_COLUMNS], ...Array.from(faqs, faqRow)].map((cells) => cells.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The FAQs as an XLSX workbook with one worksheet, "FAQ", every cell text. */
export async function writeFaqXlsx(faqs: Iterable<Faq>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('FAQ', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = FAQ_SHEET_COLUMNS.map((key) => ({
    header: key,
    key,
    width: key === 'answer' ? 60 : key === 'question' || key === 'alternates' ? 30 : 16,
    style: { alignment: { wrapText: true, vertical: 'top' } },
  }));
  sheet.getRow(1).font = { bold: true };
  for (const faq of faqs) sheet.addRow(faqRow(faq));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
