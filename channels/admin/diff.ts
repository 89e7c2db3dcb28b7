// Field-level difference between two versions of an entry, as JSON pointers
// (the same paths the validator's problems use), so a UI can mark each field.
export interface FieldChange {
  /** JSON pointer, e.g. "/alternates" or "/materials/2/name". */
  field: string;
  change: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
  /** For lists of words (alternates, tags, aliases): what came and went, order aside. */
  added?: unknown[];
  removed?: unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';
const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffValues(from: unknown, to: unknown, path = ''): FieldChange[] {
  if (same(from, to)) return [];
  const field = path || '/';
  if (from === undefined) return [{ field, change: 'added', to }];
  if (to === undefined) return [{ field, change: 'removed', from }];
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => diffValues(from[key], to[key], `${path}/${escape(key)}`));
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    if (from.every(isScalar) && to.every(isScalar)) {
      const before = new Set(from.map((v) => JSON.stringify(v)));
      const after = new Set(to.map((v) => JSON.stringify(v)));
      return [{
        field, change: 'changed', from, to,
        added: to.filter((v) => !before.has(JSON.stringify(v))),
        removed: from.filter((v) => !after.has(JSON.stringify(v))),
      }];
    }
    // Lists of objects (materials, steps, locations) are compared position by position.
    const length = Math.max(from.length, to.length);
    return Array.from({ length }, (_, i) => diffValues(from[i], to[i], `${path}/${i}`)).flat();
  }
  return [{ field, change: 'changed', from, to }];
}

/** The top-level fields that differ, e.g. for an import preview's "would update answer, alternates". */
export function changedFields(from: unknown, to: unknown): string[] {
  return [...new Set(diffValues(from, to).map((c) => c.field.split('/')[1] ?? ''))].filter(Boolean);
}
