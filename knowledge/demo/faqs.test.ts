// The bundled demo FAQ entries (示例市): valid entries, distinct questions, and
// matter links that point at the demo matter guides.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEntry, type FieldProblem } from '../validate.ts';
import type { Faq } from '../model.ts';

const file = new URL('./faqs.json', import.meta.url);
const text = readFileSync(file, 'utf8');
const doc = JSON.parse(text) as { format: string; version: number; note: string; entries: Faq[] };
const entries = doc.entries;

const MatterIds = new Set([
  'demo-id-card-first', 'demo-id-card-renewal', 'demo-id-card-loss', 'demo-id-card-temp',
  'demo-hukou-move-in', 'demo-hukou-move-out', 'demo-newborn-registration', 'demo-death-hukou-cancellation',
  'demo-passport', 'demo-hk-macau-permit', 'demo-taiwan-permit', 'demo-residence-permit',
  'demo-marriage-registration', 'demo-divorce-registration', 'demo-marriage-certificate-reissue',
  'demo-driving-licence-renewal', 'demo-driving-licence-loss', 'demo-vehicle-inspection', 'demo-vehicle-registration',
  'demo-social-security-card', 'demo-social-security-card-loss', 'demo-pension-claim',
  'demo-flexible-employment-insurance', 'demo-medical-insurance-enrol', 'demo-medical-out-of-town',
  'demo-maternity-benefit', 'demo-unemployment-benefit', 'demo-employment-registration',
  'demo-provident-fund-withdrawal-rent', 'demo-provident-fund-withdrawal-purchase', 'demo-provident-fund-loan',
  'demo-property-transfer', 'demo-property-first-registration', 'demo-housing-rental-registration',
  'demo-individual-business', 'demo-company-registration', 'demo-no-criminal-record',
  'demo-minimum-living-allowance', 'demo-disability-certificate', 'demo-senior-card', 'demo-high-age-allowance',
  'demo-primary-school-enrolment', 'demo-legal-aid', 'demo-funeral-allowance',
]);

/** Compares questions the way a citizen would read them: without spaces, punctuation or case. */
function normalise(question: string): string {
  return question.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();
}

describe('demo FAQ knowledge base', () => {
  it('is a pretty-printed banshi-json document marked as example data', () => {
    expect(doc.format).toBe('banshi-json');
    expect(doc.version).toBe(1);
    expect(doc.note).toMatch(/^示例数据/);
    expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  it('holds at least 150 entries with unique demo-faq ids', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^demo-faq-\d{3}$/);
  });

  it('validates every entry against the model', () => {
    const problems: Record<string, FieldProblem[]> = {};
    for (const entry of entries) {
      const found = checkEntry(entry);
      if (found.length > 0) problems[entry.id] = found;
    }
    if (Object.keys(problems).length > 0) console.error(JSON.stringify(problems, null, 2));
    expect(problems).toEqual({});
  });

  it('marks every entry as demo FAQ data', () => {
    for (const entry of entries) {
      expect(entry.kind, entry.id).toBe('faq');
      expect(entry.source, entry.id).toBe('demo');
      expect(entry.tags, entry.id).toContain('示例数据');
      expect(entry.department, entry.id).toMatch(/示例市/);
    }
  });

  it('gives every entry 2–5 alternates and at most 3 follow-ups', () => {
    for (const entry of entries) {
      expect(entry.alternates.length, entry.id).toBeGreaterThanOrEqual(2);
      expect(entry.alternates.length, entry.id).toBeLessThanOrEqual(5);
      expect(entry.followUps.length, entry.id).toBeLessThanOrEqual(3);
    }
  });

  it('never asks the same question (or alternate) in two places', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const entry of entries) {
      for (const text of [entry.question, ...entry.alternates]) {
        const key = normalise(text);
        const first = owner.get(key);
        if (first !== undefined) clashes.push(`${entry.id} "${text}" (also ${first})`);
        else owner.set(key, entry.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('points every follow-up button at another entry\'s question or alternate', () => {
    const asked = entries.flatMap((e) => [e.question, ...e.alternates].map((q) => ({ id: e.id, text: normalise(q) })));
    const dangling: string[] = [];
    for (const entry of entries) {
      for (const label of entry.followUps) {
        const key = normalise(label);
        const targets = asked.filter((a) => a.id !== entry.id && a.text.startsWith(key));
        if (targets.length === 0) dangling.push(`${entry.id}: ${label}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('links only to demo matter guides', () => {
    const unknown = entries
      .filter((e) => e.matterId !== null && !MatterIds.has(e.matterId))
      .map((e) => `${e.id}: ${e.matterId}`);
    expect(unknown).toEqual([]);
  });

  it('uses only example links', () => {
    for (const entry of entries) {
      for (const url of entry.answer.match(/https?:\/\/[^\s）)，。；]+/g) ?? []) {
        expect(url, entry.id).toMatch(/^https:\/\/[a-z0-9.-]+\.example\.gov\.cn\//);
      }
    }
  });
});
