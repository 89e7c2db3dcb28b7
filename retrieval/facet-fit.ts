// Whether an entry fits the facet a citizen asks about. An FAQ entry asks one
// thing itself, or two ("收费多少钱？" vs "地点及电话为何？"): when the citizen asks
// one of them it is the better answer, when it asks another facet it is not. A
// matter guide answers every facet.
import type { Entry, Facet } from '../knowledge/index.ts';
import type { Analyzer } from './types.ts';
import type { FusedCandidate } from './fusion.ts';

/**
 * The shares by which an agreeing FAQ gains and a disagreeing one loses, relative so they
 * suit any fusion's scale. A disagreement is weaker evidence: an FAQ's facet is read from
 * one short question, whose wording may ask more than the cues show.
 */
const FacetBonus = 0.12;
const FacetPenalty = 0.06;
/** Where one clause of a question ends and another begins, or two things asked are joined (资格及办理窗口). */
const Clauses = /[、，,？?；;。！!及與与]|以及|和/;

export interface FacetFit {
  /** 1 when the entry fits the asked facet, 0 when it asks another, 0.5 when unknown. */
  fit(entry: Entry, asked: Facet | null): number;
  /** Moves FAQ entries up or down by their fit and re-sorts. */
  rerank(fused: FusedCandidate[], asked: Facet | null, entryOf: (id: string) => Entry | undefined): FusedCandidate[];
}

export function createFacetFit(analyzer: Analyzer): FacetFit {
  // Entries are replaced on every update, so a WeakMap never serves stale facets.
  const own = new WeakMap<Entry, ReadonlySet<Facet>>();
  // An FAQ may ask two things at once ("要向哪个单位申请、申请方式？"): each clause's facet is its own.
  const facetsOf = (entry: Entry & { kind: 'faq' }): ReadonlySet<Facet> => {
    let facets = own.get(entry);
    if (!facets) {
      facets = new Set(entry.question.split(Clauses)
        .map((part) => analyzer.detectFacet(analyzer.normalize(part).text).facet)
        .filter((f): f is Facet => f !== null && f !== 'overview'));
      own.set(entry, facets);
    }
    return facets;
  };
  const fit = (entry: Entry, asked: Facet | null): number => {
    if (entry.kind === 'matter' || asked === null || asked === 'overview') return 1;
    const theirs = facetsOf(entry);
    if (theirs.size === 0) return 0.5;
    return theirs.has(asked) ? 1 : 0;
  };
  return {
    fit,
    rerank(fused, asked, entryOf) {
      if (asked === null || asked === 'overview') return fused;
      return fused
        .map((c) => {
          const entry = entryOf(c.entryId);
          if (entry?.kind !== 'faq') return c;
          const fits = fit(entry, asked);
          return { ...c, score: c.score * (fits === 1 ? 1 + FacetBonus : fits === 0 ? 1 - FacetPenalty : 1) };
        })
        .sort((a, b) => b.score - a.score);
    },
  };
}
