// Request bodies → candidate entries. FAQ bodies are the contract's short form
// (question, alternates, answer, tags, matterId …) laid over the current entry;
// matter bodies are the full Matter. Every problem is reported with its field,
// in one answer, so a form can mark all of them at once.
import { randomBytes } from 'node:crypto';
import { checkEntry, type EntryStatus, type Faq, type FieldProblem, type KnowledgeStore, type Matter } from '../../knowledge/index.ts';
import { AdminError } from './errors.ts';

/** The FAQ fields a body may set; `kind` is fixed, `source` defaults to 'staff' (an entry read back and sent again carries it). */
const FaqFields = ['question', 'alternates', 'answer', 'tags', 'matterId', 'department', 'followUps', 'contact', 'source'] as const;
const ListFields = new Set(['alternates', 'tags', 'followUps']);
/** Optional fields that `null` removes (matterId is nullable in its own right). */
const Removable = new Set(['department', 'contact']);

export interface EntryInput<E> {
  entry: E;
  status: EntryStatus;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusOf(body: Record<string, unknown>, problems: FieldProblem[]): EntryStatus {
  const status = body['status'];
  if (status === undefined || status === 'published') return 'published';
  if (status === 'draft') return 'draft';
  problems.push({ field: '/status', message: '须为 "published" 或 "draft"' });
  return 'published';
}

/** Trimmed, blank lines dropped, each wording once. */
export function cleanList(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}

export function newId(prefix: 'faq' | 'matter'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

function fail(problems: FieldProblem[]): never {
  throw new AdminError('INVALID_ENTRY', [problems.slice(0, 3).map((p) => `${p.field} ${p.message}`).join('；')], { fields: { problems } });
}

function checkMatterLink(store: KnowledgeStore, matterId: unknown, problems: FieldProblem[]): void {
  if (typeof matterId !== 'string') return;
  const matter = store.getLatest(matterId);
  if (!matter || matter.entry.kind !== 'matter') problems.push({ field: '/matterId', message: `没有编号为 ${matterId} 的办事指南` });
}

/**
 * An FAQ from a POST (base null) or PUT (base = the current entry) body. Fields
 * left out keep their current value on PUT; unknown fields are problems.
 */
export function faqFromBody(store: KnowledgeStore, body: unknown, base: Faq | null, id?: string): EntryInput<Faq> {
  if (!isObject(body)) fail([{ field: '/', message: '请求体须为 JSON 对象' }]);
  const problems: FieldProblem[] = [];
  const status = statusOf(body, problems);
  for (const key of Object.keys(body)) {
    if (!(FaqFields as readonly string[]).includes(key) && !['id', 'kind', 'status'].includes(key)) {
      problems.push({ field: `/${key}`, message: '不认识的字段' });
    }
  }
  if (body['kind'] !== undefined && body['kind'] !== 'faq') problems.push({ field: '/kind', message: '须为 "faq"' });
  const entryId = id ?? (body['id'] === undefined ? base?.id ?? newId('faq') : body['id']);
  if (base && body['id'] !== undefined && body['id'] !== base.id) problems.push({ field: '/id', message: `编号不能修改，须为 ${base.id}` });

  const draft: Record<string, unknown> = base
    ? { ...base }
    : { kind: 'faq', id: entryId, source: 'staff', tags: [], alternates: [], followUps: [], matterId: null };
  for (const key of FaqFields) {
    if (!(key in body)) continue;
    const value = body[key];
    if (value === null && Removable.has(key)) delete draft[key];
    else if (typeof value === 'string') draft[key] = value.trim();
    else if (ListFields.has(key) && Array.isArray(value) && value.every((v) => typeof v === 'string')) draft[key] = cleanList(value as string[]);
    else draft[key] = value;
  }
  draft['kind'] = 'faq';
  draft['id'] = base?.id ?? entryId;
  if (body['matterId'] !== undefined) checkMatterLink(store, body['matterId'], problems);
  problems.push(...checkEntry(draft));
  if (problems.length > 0) fail(problems);
  return { entry: draft as Faq, status };
}

/**
 * A matter guide from a full Matter body; `kind` may be left out, and `source`
 * (then 'staff' for a new guide, the current one's on PUT, so an edited import keeps its origin).
 */
export function matterFromBody(body: unknown, base: Matter | null, id?: string): EntryInput<Matter> {
  if (!isObject(body)) fail([{ field: '/', message: '请求体须为 JSON 对象' }]);
  const problems: FieldProblem[] = [];
  const status = statusOf(body, problems);
  if (id !== undefined && body['id'] !== undefined && body['id'] !== id) problems.push({ field: '/id', message: `编号不能修改，须为 ${id}` });
  if (body['kind'] !== undefined && body['kind'] !== 'matter') problems.push({ field: '/kind', message: '须为 "matter"' });
  const { status: _status, ...fields } = body;
  const draft: Record<string, unknown> = { source: base?.source ?? 'staff', ...fields, kind: 'matter', id: id ?? fields['id'] ?? newId('matter') };
  problems.push(...checkEntry(draft));
  if (problems.length > 0) fail(problems);
  return { entry: draft as Matter, status };
}
