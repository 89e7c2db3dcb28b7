// Whether an entry fits the facet a citizen asks about. An FAQ entry asks one
// thing itself ("收费多少钱？" vs "地点及电话为何？"): when the citizen asks the
// same facet it is the better answer, when it asks another facet it is not. A
// matter guide answers every facet.
import type { Entry, Facet } from '../knowledge/index.ts';
import type { Analyzer } from './types.ts';
import type { FusedCandidate } from './fusion.ts';

/** The share by which an agreeing FAQ gains and a disagreeing one loses: relative, so it suits any fusion's scale. */
const FacetBonus = 0.08;

export interface FacetFit {
  /** 1 when the entry fits the asked facet, 0 when it asks another, 0.5 when unknown. */
  fit(entry: Entry, asked: Facet | null): number;
  /** Moves FAQ entries up or down by their fit and re-sorts. */
  rerank(fused: FusedCandidate[], asked: Facet | null, entryOf: (id: string) => Entry | undefined): FusedCandidate[];
}

export function createFacetFit(analyzer: Analyzer): FacetFit {
  // Entries are replaced on every update, so a WeakMap never serves a stale facet.
  const own = new WeakMap<Entry, Facet | null>();
  const facetOf = (entry: Entry): Facet | null => {
    if (entry.kind !== 'faq') return null;
    if (!own.has(entry)) own.set(entry, analyzer.detectFacet(analyzer.normalize(entry.question).text).facet);
    return own.get(entry)!;
  };
  const fit = (entry: Entry, asked: Facet | null): number => {
    if (entry.kind === 'matter' || asked === null || asked === 'overview') return 1;
    const theirs = facetOf(entry);
    if (theirs === null || theirs === 'overview') return 0.5;
    return theirs === asked ? 1 : 0;
  };
  return {
    fit,
    rerank(fused, asked, entryOf) {
      if (asked === null || asked === 'overview') return fused;
      return fused
        .map((c) => {
          const entry = entryOf(c.entryId);
          return entry?.kind === 'faq' ? { ...c, score: c.score * (1 + (fit(entry, asked) - 0.5) * 2 * FacetBonus) } : c;
        })
        .sort((a, b) => b.score - a.score);
    },
  };
}
