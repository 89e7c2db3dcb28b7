// The figures of a run, in the shape ../shared/CONTRACTS.md §4 pins for --json.
import type { Outcome, RunResult, TurnResult } from './run.ts';

export interface Failure {
  id: string;
  file: string;
  turn: number;
  query: string;
  expected: { entries?: string[]; facet?: string; none?: boolean };
  got: TurnResult['reply'];
  reason: Outcome | 'facet' | 'out_of_scope_answered';
}

export interface Breakdown {
  turns: number;
  accuracy: number;
  top3: number;
}

export interface Report {
  cases: number;
  turns: number;
  accuracy: number;
  wrongRate: number;
  clarifyRate: number;
  /** The entry answered, or offered first, is expected: retrieval's top-1 as the citizen meets it. */
  top1: number;
  top3: number;
  mrr: number;
  facetAccuracy: number;
  oosPass: number;
  multiTurnAccuracy: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  byFacet: Record<string, Breakdown>;
  byFile: Record<string, Breakdown & { oosPass?: number }>;
  counts: Record<Outcome, number> & { outOfScope: number; outOfScopePassed: number };
  failures: Failure[];
  /** Every latency, for the histogram in the HTML report. */
  latencies: number[];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (n: number, d: number): number => (d === 0 ? 0 : round(n / d));

function breakdown(turns: TurnResult[]): Breakdown {
  return {
    turns: turns.length,
    accuracy: ratio(turns.filter((t) => t.outcome === 'correct').length, turns.length),
    top3: ratio(turns.filter((t) => t.top3).length, turns.length),
  };
}

function groupBy(turns: TurnResult[], key: (t: TurnResult) => string): Map<string, TurnResult[]> {
  const groups = new Map<string, TurnResult[]>();
  for (const t of turns) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return groups;
}

export function summarize(run: RunResult): Report {
  const inScope = run.turns.filter((t) => !t.outOfScope);
  const oos = run.turns.filter((t) => t.outOfScope);
  const count = (o: Outcome): number => inScope.filter((t) => t.outcome === o).length;
  const faceted = inScope.filter((t) => t.facetCorrect !== null);
  const failures: Failure[] = run.turns.flatMap((t): Failure[] => {
    const reason: Failure['reason'] | null = t.outOfScope
      ? (t.passed ? null : 'out_of_scope_answered')
      : t.outcome !== 'correct' ? t.outcome! : t.facetCorrect === false ? 'facet' : null;
    return reason ? [{ id: t.caseId, file: t.file, turn: t.turn, query: t.query, expected: t.expect, got: t.reply, reason }] : [];
  });
  const byFile: Report['byFile'] = {};
  for (const [file, turns] of groupBy(run.turns, (t) => t.file)) {
    const scope = turns.filter((t) => !t.outOfScope);
    const out = turns.filter((t) => t.outOfScope);
    byFile[file] = { ...breakdown(scope), ...(out.length ? { oosPass: ratio(out.filter((t) => t.passed).length, out.length) } : {}) };
  }
  return {
    cases: run.cases,
    turns: inScope.length,
    accuracy: ratio(count('correct'), inScope.length),
    wrongRate: ratio(count('wrong'), inScope.length),
    clarifyRate: ratio(count('clarified'), inScope.length),
    top1: ratio(inScope.filter((t) => t.reciprocalRank === 1).length, inScope.length),
    top3: ratio(inScope.filter((t) => t.top3).length, inScope.length),
    mrr: ratio(inScope.reduce((s, t) => s + t.reciprocalRank, 0), inScope.length),
    facetAccuracy: ratio(faceted.filter((t) => t.facetCorrect).length, faceted.length),
    oosPass: ratio(oos.filter((t) => t.passed).length, oos.length),
    multiTurnAccuracy: breakdown(inScope.filter((t) => t.multiTurn)).accuracy,
    latencyMs: {
      p50: round(percentile(run.latencies, 50), 2), p95: round(percentile(run.latencies, 95), 2),
      p99: round(percentile(run.latencies, 99), 2), max: round(Math.max(0, ...run.latencies), 2),
    },
    byFacet: Object.fromEntries([...groupBy(faceted, (t) => t.expect.facet!)].map(([f, ts]) => [f, breakdown(ts)])),
    byFile,
    counts: {
      correct: count('correct'), wrong: count('wrong'), clarified: count('clarified'), missed: count('missed'),
      outOfScope: oos.length, outOfScopePassed: oos.filter((t) => t.passed).length,
    },
    failures,
    latencies: run.latencies.map((l) => round(l, 2)),
  };
}
