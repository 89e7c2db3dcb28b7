// The bundled demo knowledge base: every matter guide is complete and valid.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEntry } from '../validate.ts';
import type { Matter } from '../model.ts';

const doc = JSON.parse(readFileSync(new URL('./matters.json', import.meta.url), 'utf8')) as {
  format: string; version: number; note?: string; entries: Matter[];
};
const entries = doc.entries;

describe('demo matter guides', () => {
  it('is a banshi-json document of 44 matters with unique ids', () => {
    expect(doc.format).toBe('banshi-json');
    expect(doc.version).toBe(1);
    expect(doc.note).toMatch(/示例数据/);
    expect(entries).toHaveLength(44);
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s passes checkEntry', (_id, entry) => {
    const problems = checkEntry(entry);
    expect(problems, problems.map((p) => `${p.field} ${p.message}`).join('\n')).toEqual([]);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s is filled in completely', (_id, e) => {
    expect(e.kind).toBe('matter');
    expect(e.source).toBe('demo');
    expect(e.tags).toContain('示例数据');
    expect(e.materials.length).toBeGreaterThanOrEqual(3);
    expect(e.steps.length).toBeGreaterThanOrEqual(3);
    expect(e.timeLimits.legal).not.toBeNull();
    expect(e.timeLimits.promised).not.toBeNull();
    expect(e.locations.some((l) => Boolean(l.hours))).toBe(true);
    expect([...e.phones.consult, ...e.phones.complaint]).toContain('12345');
    expect(e.fees.status).not.toBe('not_recorded');
    expect(e.fees.items.length).toBeGreaterThan(0);
    expect(e.faqIds).toEqual([]);
  });
});
