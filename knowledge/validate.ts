// One validation layer for every way an entry comes in (import, API, admin UI).
import { Value } from '@sinclair/typebox/value';
import { EntrySchema, FaqSchema, MatterSchema, type Entry } from './model.ts';
import { KnowledgeError } from './errors.ts';

export interface FieldProblem {
  /** JSON pointer of the field, e.g. "/materials/2/name". */
  field: string;
  message: string;
}

/** Lists what is wrong with a candidate entry; empty when it is valid. */
export function checkEntry(value: unknown): FieldProblem[] {
  const kind = (value as { kind?: unknown } | null)?.kind;
  // Checking against the matching member gives field-level messages instead of
  // TypeBox's generic "expected union value".
  const schema = kind === 'matter' ? MatterSchema : kind === 'faq' ? FaqSchema : EntrySchema;
  if (kind !== 'matter' && kind !== 'faq') {
    return [{ field: '/kind', message: 'must be "matter" or "faq"' }];
  }
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const error of Value.Errors(schema, value)) {
    const key = `${error.path}: ${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field: error.path || '/', message: error.message });
  }
  return problems;
}

/** Returns the value typed as an entry, or throws INVALID_ENTRY naming every bad field. */
export function assertEntry(value: unknown): Entry {
  const problems = checkEntry(value);
  if (problems.length > 0) {
    const summary = problems.slice(0, 5).map((p) => `${p.field} ${p.message}`).join('; ');
    throw new KnowledgeError('INVALID_ENTRY', [summary], { details: problems });
  }
  return value as Entry;
}
