// Fusion: each stage's ranked [id, score] list merged into one ranking, by reciprocal
// rank fusion or by a weighted sum of normalised scores (configurable, so the
// accuracy suite can tell which is better on real questions).
import type { StageHit } from './types.ts';

export type StageName = 'bm25' | 'dense';
export type FusionMethod = 'rrf' | 'weighted';

export interface StageScore {
  /** 1-based rank within the stage; tied scores share the better rank. */
  rank: number;
  score: number;
}

export interface FusedCandidate {
  entryId: string;
  score: number;
  stages: Partial<Record<StageName, StageScore>>;
}

export interface StageInput {
  hits: StageHit[];
  /**
   * Maps a raw score to 0..1 on a scale that means the same for every query
   * (BM25 against a full name match, cosine for vectors). Without it the
   * weighted fusion falls back to min-max over the list, which always gives the top hit 1.
   */
  normalize?: (score: number) => number;
}

export interface FusionOptions {
  method: FusionMethod;
  weights: Record<StageName, number>;
  /** The RRF constant: larger flattens the difference between ranks. */
  rrfK: number;
}

export const FusionDefaults: Readonly<FusionOptions> = Object.freeze({
  method: 'weighted',
  weights: Object.freeze({ bm25: 0.55, dense: 0.45 }),
  rrfK: 60,
});

function minMax(hits: StageHit[]): (score: number) => number {
  const scores = hits.map((h) => h[1]);
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  return (score) => (max === min ? 1 : (score - min) / (max - min));
}

/** Best first; equal scores by entry id, so every rerank orders a tie the same way. */
export const byScore = (a: FusedCandidate, b: FusedCandidate): number => b.score - a.score || a.entryId.localeCompare(b.entryId);

/** Fused scores lie in 0..1 for both methods (RRF divided by its best possible value). */
export function fuse(inputs: Partial<Record<StageName, StageInput>>, options: FusionOptions = FusionDefaults): FusedCandidate[] {
  const byId = new Map<string, FusedCandidate>();
  const present = (Object.keys(inputs) as StageName[]).filter((name) => inputs[name]);
  const totalWeight = present.reduce((sum, name) => sum + options.weights[name], 0) || 1;
  for (const name of present) {
    const input = inputs[name]!;
    const normalize = input.normalize ?? minMax(input.hits);
    const weight = options.weights[name] / totalWeight;
    // Equal scores share a rank ("1224"): the stage cannot tell them apart, so neither should fusion.
    let rank = 0;
    input.hits.forEach(([entryId, score], i) => {
      if (i === 0 || score !== input.hits[i - 1]![1]) rank = i + 1;
      const candidate = byId.get(entryId) ?? { entryId, score: 0, stages: {} };
      candidate.stages[name] = { rank, score };
      candidate.score += options.method === 'rrf'
        ? (weight * (options.rrfK + 1)) / (options.rrfK + rank)
        : weight * Math.min(1, Math.max(0, normalize(score)));
      byId.set(entryId, candidate);
    });
  }
  return [...byId.values()].sort(byScore);
}

/** 1 when every stage ranks the entry first, falling with its rank in each stage, 0 when a stage misses it. */
export function stageAgreement(candidate: FusedCandidate, stages: StageName[]): number {
  if (stages.length === 0) return 0;
  let sum = 0;
  for (const name of stages) {
    const rank = candidate.stages[name]?.rank;
    if (rank !== undefined) sum += 1 / rank;
  }
  return sum / stages.length;
}
