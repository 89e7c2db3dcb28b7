// Reads evaluators' case files (JSON Lines, ../shared/CONTRACTS.md §4), naming
// the file and line of anything that is not a valid case.
import { readFile } from 'node:fs/promises';
import { Facets, type Facet } from '../bot/index.ts';

export interface Expectation {
  entries?: string[];
  facet?: Facet;
  none?: boolean;
}

export interface CaseTurn {
  say: string;
  expect?: Expectation;
}

export interface EvalCase {
  id: string;
  /** Which file the case came from (its base name), for per-data-set figures. */
  file: string;
  turns: CaseTurn[];
  /** A single-turn case written with `query`. */
  multiTurn: boolean;
  outOfScope: boolean;
}

export class CaseFileError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'CaseFileError';
  }
}

function checkExpectation(value: unknown, where: (reason: string) => CaseFileError): Expectation {
  if (!value || typeof value !== 'object') throw where('"expect" must be an object');
  const e = value as Record<string, unknown>;
  if (e['none'] === true) return { none: true };
  const entries = e['entries'];
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every((x) => typeof x === 'string' && x)) {
    throw where('"expect.entries" must be a non-empty array of entry ids (or use "none": true)');
  }
  const facet = e['facet'];
  if (facet !== undefined && facet !== null && !(Facets as readonly unknown[]).includes(facet)) {
    throw where(`"expect.facet" must be one of ${Facets.join(', ')}`);
  }
  return { entries: entries as string[], ...(typeof facet === 'string' ? { facet: facet as Facet } : {}) };
}

export function parseCases(text: string, file: string): EvalCase[] {
  const cases: EvalCase[] = [];
  const ids = new Set<string>();
  const name = file.split('/').pop()!.replace(/\.jsonl?$/, '');
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    const where = (reason: string): CaseFileError => new CaseFileError(file, lineNo, reason);
    if (!line.trim()) return;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch (error) {
      throw where(`not valid JSON (${(error as Error).message})`);
    }
    const id = raw['id'];
    if (typeof id !== 'string' || !id) throw where('"id" must be a non-empty string');
    if (ids.has(id)) throw where(`duplicate case id "${id}"`);
    ids.add(id);
    if (typeof raw['query'] === 'string') {
      const expect = checkExpectation(raw['expect'], where);
      cases.push({ id, file: name, turns: [{ say: raw['query'] as string, expect }], multiTurn: false, outOfScope: expect.none === true });
      return;
    }
    const turns = raw['turns'];
    if (!Array.isArray(turns) || turns.length === 0) throw where('a case needs "query" or a non-empty "turns" array');
    const parsed = turns.map((t: unknown, i) => {
      const turn = t as Record<string, unknown>;
      if (!turn || typeof turn['say'] !== 'string' || !turn['say']) throw where(`turns[${i}].say must be a non-empty string`);
      return { say: turn['say'] as string, ...(turn['expect'] !== undefined ? { expect: checkExpectation(turn['expect'], where) } : {}) };
    });
    if (!parsed.some((t) => t.expect)) throw where('a multi-turn case needs at least one turn with "expect"');
    cases.push({ id, file: name, turns: parsed, multiTurn: true, outOfScope: parsed.every((t) => !t.expect || t.expect.none === true) });
  });
  return cases;
}

export async function readCases(file: string): Promise<EvalCase[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CaseFileError(file, 0, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseCases(text, file);
}
