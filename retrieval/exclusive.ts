// Words that exclude each other (retrieval/lexicon/exclusive.txt): 赴台 and 港澳,
// 离婚 and 结婚, 高中 and 高等学校 share their contexts, so dense vectors hold them
// close, but a citizen who names one does not mean an entry that names only another.
import { readFileSync } from 'node:fs';
import { entryTitle, type Entry } from '../knowledge/index.ts';
import type { FusedCandidate } from './fusion.ts';
import { foldTerm } from './normalize.ts';
import type { AnalyzedQuery, Analyzer } from './types.ts';

/** One line: groups of words, each group excluding the others. */
export type ExclusiveSet = readonly (readonly string[])[];

/** The share of its score an entry naming only an excluded group loses: enough to fall below a near-tie. */
const ExcludedPenalty = 0.15;

export function parseExclusive(source: string): ExclusiveSet[] {
  return source.split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => line.split('|').map((group) => group.trim().split(/\s+/).filter(Boolean).map(foldTerm)))
    .filter((groups) => groups.length > 1 && groups.every((g) => g.length > 0));
}

let shipped: ExclusiveSet[] | undefined;

/** The sets shipped with the code, read once per process. */
export function defaultExclusive(): ExclusiveSet[] {
  shipped ??= parseExclusive(readFileSync(new URL('./lexicon/exclusive.txt', import.meta.url), 'utf8'));
  return shipped;
}

/** Per set, the groups the text names (by index). */
function named(text: string, sets: ExclusiveSet[]): number[][] {
  return sets.map((groups) => groups.flatMap((words, g) => (words.some((w) => text.includes(w)) ? [g] : [])));
}

export interface ExclusiveFit {
  /** Lowers the entries that name only a group the citizen's words exclude, and re-sorts. */
  rerank(fused: FusedCandidate[], query: AnalyzedQuery, entryOf: (id: string) => Entry | undefined): FusedCandidate[];
}

export function createExclusiveFit(analyzer: Analyzer, sets: ExclusiveSet[] = defaultExclusive()): ExclusiveFit {
  // Entries are replaced on every update, so a WeakMap never serves a stale title.
  const memo = new WeakMap<Entry, number[][]>();
  const groupsOf = (entry: Entry): number[][] => {
    let groups = memo.get(entry);
    if (!groups) memo.set(entry, (groups = named(analyzer.normalize(entryTitle(entry)).text, sets)));
    return groups;
  };
  return {
    rerank(fused, query, entryOf) {
      const asked = named(query.normalized.text, sets);
      // Only a message naming one group of a set excludes the others.
      const one = asked.map((groups) => (groups.length === 1 ? groups[0]! : null));
      if (one.every((g) => g === null)) return fused;
      let changed = false;
      const out = fused.map((c) => {
        const entry = entryOf(c.entryId);
        if (!entry) return c;
        const theirs = groupsOf(entry);
        const excluded = one.some((g, s) => g !== null && theirs[s]!.length > 0 && !theirs[s]!.includes(g));
        if (!excluded) return c;
        changed = true;
        return { ...c, score: c.score * (1 - ExcludedPenalty) };
      });
      return changed ? out.sort((a, b) => b.score - a.score) : fused;
    },
  };
}
