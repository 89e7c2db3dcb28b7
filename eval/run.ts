// Runs case files through the bot's one door and scores every expected turn
// exactly as ../shared/CONTRACTS.md §4 defines.
import { randomBytes } from 'node:crypto';
import type { Reply } from '../bot/index.ts';
import type { EvalCase, Expectation } from './cases.ts';

export interface Conversant {
  handleMessage(incoming: { session: string; channel: string; text: string }): Promise<Reply>;
}

export type Outcome = 'correct' | 'wrong' | 'clarified' | 'missed';

export interface TurnResult {
  caseId: string;
  file: string;
  turn: number;
  query: string;
  expect: Expectation;
  multiTurn: boolean;
  outOfScope: boolean;
  /** In-scope outcome; null for out-of-scope turns. */
  outcome: Outcome | null;
  passed: boolean;
  top3: boolean;
  reciprocalRank: number;
  /** Null when the case names no facet (FAQ entries). */
  facetCorrect: boolean | null;
  reply: Pick<Reply, 'kind' | 'entryId' | 'facet' | 'confidence'> & { title: string | null; candidates: Reply['candidates'] };
  latencyMs: number;
}

export interface RunResult {
  turns: TurnResult[];
  /** Every turn's latency, scored or not. */
  latencies: number[];
  cases: number;
}

function score(expect: Expectation, reply: Reply): Pick<TurnResult, 'outcome' | 'passed' | 'top3' | 'reciprocalRank' | 'facetCorrect'> {
  if (expect.none) {
    return { outcome: null, passed: reply.entryId === null, top3: false, reciprocalRank: 0, facetCorrect: null };
  }
  const expected = new Set(expect.entries);
  const firstThree = reply.candidates.slice(0, 3).map((c) => c.entryId);
  const outcome: Outcome = reply.entryId !== null
    ? (expected.has(reply.entryId) ? 'correct' : 'wrong')
    : (firstThree.some((id) => expected.has(id)) ? 'clarified' : 'missed');
  const ranked = [...(reply.entryId ? [reply.entryId] : []), ...reply.candidates.map((c) => c.entryId).filter((id) => id !== reply.entryId)];
  const rank = ranked.findIndex((id) => expected.has(id));
  const facetCorrect = expect.facet === undefined ? null
    : reply.facet === expect.facet || (expect.facet === 'overview' && reply.facet === null);
  return {
    outcome,
    passed: outcome === 'correct',
    top3: (reply.entryId !== null && expected.has(reply.entryId)) || firstThree.some((id) => expected.has(id)),
    reciprocalRank: rank >= 0 ? 1 / (rank + 1) : 0,
    facetCorrect,
  };
}

export async function runCases(bot: Conversant, cases: EvalCase[], onProgress?: (done: number) => void): Promise<RunResult> {
  const turns: TurnResult[] = [];
  const latencies: number[] = [];
  for (const [n, c] of cases.entries()) {
    // Every case is a fresh conversation.
    const session = `eval-${c.id}-${randomBytes(4).toString('hex')}`;
    for (const [i, turn] of c.turns.entries()) {
      const started = performance.now();
      const reply = await bot.handleMessage({ session, channel: 'eval', text: turn.say });
      const latencyMs = performance.now() - started;
      latencies.push(latencyMs);
      if (!turn.expect) continue;
      const title = reply.entryId ? reply.candidates.find((x) => x.entryId === reply.entryId)?.title ?? null : null;
      turns.push({
        caseId: c.id, file: c.file, turn: i, query: turn.say, expect: turn.expect, multiTurn: c.multiTurn,
        outOfScope: turn.expect.none === true, ...score(turn.expect, reply), latencyMs,
        reply: { kind: reply.kind, entryId: reply.entryId, facet: reply.facet, confidence: reply.confidence, title, candidates: reply.candidates.slice(0, 3) },
      });
    }
    onProgress?.(n + 1);
  }
  return { turns, latencies, cases: cases.length };
}
