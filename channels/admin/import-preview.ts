// Bulk import through the staff API: the uploaded body goes to a temporary file
// for the same parsers `banshi kb import` uses, and the preview checks every
// row exactly as the import would (model validation, duplicate ids) and says
// what it would do to the store, without writing anything.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkEntry, contentHash, entryTitle, isImportFormat, parseSource, type Entry, type ImportFormat, type KnowledgeStore,
  type ParsedSource, type SourceProblem,
} from '../../knowledge/index.ts';
import { changedFields } from './diff.ts';
import { AdminError } from './errors.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Extensions: Record<ImportFormat, string> = {
  'faq-csv': 'csv', 'faq-xlsx': 'xlsx', 'banshi-json': 'json', 'gd-matters': 'jsonl', 'tpe-faq': 'xml',
};

/** The format from ?format=, else from the Content-Type (the FAQ sheet's two). */
export function importFormatOf(format: string | undefined, contentType: string | undefined): ImportFormat {
  if (format !== undefined) {
    if (!isImportFormat(format)) throw new AdminError('BAD_REQUEST', [`未知的导入格式 ${format}：可用 faq-csv、faq-xlsx、banshi-json、gd-matters、tpe-faq`]);
    return format;
  }
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'faq-csv';
  if (type === XLSX_TYPE) return 'faq-xlsx';
  throw new AdminError('UNSUPPORTED_MEDIA_TYPE', ['请以 Content-Type: text/csv 或 xlsx 上传文件本身，或用 ?format= 指明格式']);
}

/** The request body as file bytes: raw uploads arrive as a Buffer, a JSON body (banshi-json) as parsed JSON. */
export function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body !== undefined && body !== null) return Buffer.from(JSON.stringify(body), 'utf8');
  throw new AdminError('BAD_REQUEST', ['请求体是空的：请上传文件内容']);
}

/** Runs `work` on the body written to a temporary file, removed afterwards whatever happens. */
export async function withUpload<T>(body: unknown, format: ImportFormat, work: (path: string) => Promise<T>): Promise<T> {
  const bytes = bodyBytes(body);
  if (bytes.length === 0) throw new AdminError('BAD_REQUEST', ['请求体是空的：请上传文件内容']);
  const dir = await mkdtemp(join(tmpdir(), 'banshi-upload-'));
  try {
    const path = join(dir, `upload.${Extensions[format]}`);
    await writeFile(path, bytes);
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PreviewRow {
  location: string;
  id: string;
  title: string;
  action: 'create' | 'update' | 'unchanged';
  /** For updates: the top-level fields that would change. */
  fields?: string[];
  /** The entry exists but is deleted: an update stays deleted until restored. */
  deleted?: boolean;
}

export interface ImportPreview {
  format: ImportFormat;
  summary: { rows: number; create: number; update: number; unchanged: number; rejected: number };
  rows: PreviewRow[];
  problems: SourceProblem[];
}

/** What importing `parsed` would do: the same checks and outcomes as importParsed, without writing. */
export function previewImport(store: KnowledgeStore, format: ImportFormat, parsed: ParsedSource): ImportPreview {
  const rows: PreviewRow[] = [];
  const problems: SourceProblem[] = [...parsed.problems];
  const firstSeen = new Map<string, string>();
  for (const record of parsed.records) {
    const id = (record.entry as { id?: unknown } | null)?.id;
    const reject = (reason: string): void => {
      problems.push({ location: record.location, reason, ...(typeof id === 'string' ? { id } : {}) });
    };
    if (typeof id === 'string' && firstSeen.has(id)) {
      reject(`编号 ${id} 重复（首次出现在 ${firstSeen.get(id)}）`);
      continue;
    }
    const fieldProblems = checkEntry(record.entry);
    if (fieldProblems.length > 0) {
      reject(fieldProblems.map((p) => `${p.field} ${p.message}`).join('; '));
      continue;
    }
    const entry = record.entry as Entry;
    firstSeen.set(entry.id, record.location);
    const current = store.getLatest(entry.id);
    const base = { location: record.location, id: entry.id, title: entryTitle(entry) };
    if (!current) rows.push({ ...base, action: 'create' });
    else if (contentHash(current.entry) === contentHash(entry)) rows.push({ ...base, action: 'unchanged' });
    else rows.push({ ...base, action: 'update', fields: changedFields(current.entry, entry), ...(current.deleted ? { deleted: true } : {}) });
  }
  const count = (action: PreviewRow['action']): number => rows.filter((r) => r.action === action).length;
  return {
    format,
    summary: { rows: rows.length + problems.length, create: count('create'), update: count('update'), unchanged: count('unchanged'), rejected: problems.length },
    rows,
    problems,
  };
}

export async function previewUpload(store: KnowledgeStore, format: ImportFormat, body: unknown): Promise<ImportPreview> {
  return withUpload(body, format, async (path) => previewImport(store, format, await parseSource(format, path)));
}
