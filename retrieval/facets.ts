// Stage 3 of retrieval: which part of a matter guide the citizen asks about
// ("要带什么" → materials), from the cue table in retrieval/lexicon/facets.txt.
// The cue is taken out of the text so the retrieval query keeps only the subject.
import { readFileSync } from 'node:fs';
import { Facets, type Facet } from '../knowledge/index.ts';
import { defaultLexicon, type Lexicon } from './lexicon.ts';
import { foldTerm } from './normalize.ts';
import type { FacetMatch } from './types.ts';

/**
 * 'none' marks a phrase that contains a cue but asks no facet (地址变更); 'can'
 * a yes/no "can I" question (能不能, 可不可以), which asks about conditions when
 * nothing narrower is asked.
 */
export type CueFacet = Facet | 'none' | 'can';

export interface FacetCue {
  readonly facet: CueFacet;
  readonly cue: string;
  /** 1-based line in the cue file. */
  readonly line: number;
}

export interface CueProblem {
  line: number;
  message: string;
}

export interface CueTable {
  readonly cues: readonly FacetCue[];
  readonly problems: readonly CueProblem[];
}

// Tie-break after length and position: narrow answers before broad ones.
const PRIORITY: readonly Facet[] = [
  'materials', 'fees', 'time_limit', 'conditions', 'contact', 'location', 'online', 'process', 'overview',
];
const CUE_FACETS = new Set<string>([...Facets, 'none', 'can']);
const QUALIFIES_ONLINE = new Set<CueFacet>(['process', 'conditions']);

/** Parses `facet<TAB>cue` lines. Never throws: problems are listed. */
export function parseFacetCues(source: string): CueTable {
  const cues: FacetCue[] = [];
  const problems: CueProblem[] = [];
  const seen = new Map<string, FacetCue>();
  source.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*/, '').trim();
    if (!content) return;
    const [facet, rawCue, ...extra] = content.split('\t').map((s) => s.trim());
    if (!facet || !rawCue || extra.length > 0) {
      problems.push({ line, message: 'expected facet<TAB>cue' });
      return;
    }
    if (!CUE_FACETS.has(facet)) {
      problems.push({ line, message: `unknown facet "${facet}"` });
      return;
    }
    const cue = foldTerm(rawCue);
    if (/\s/.test(cue)) {
      problems.push({ line, message: 'a cue is one word, without spaces' });
      return;
    }
    const earlier = seen.get(cue);
    if (earlier) {
      problems.push({ line, message: `"${cue}" is already a ${earlier.facet} cue on line ${earlier.line}` });
      return;
    }
    const entry: FacetCue = { facet: facet as CueFacet, cue, line };
    seen.set(cue, entry);
    cues.push(entry);
  });
  return { cues, problems };
}

interface Occurrence {
  cue: FacetCue;
  start: number;
  end: number;
}

/** Detects facets with one cue table; the index is built once here. */
export function createFacetDetector(table: CueTable): (normalizedText: string) => FacetMatch {
  // Cues by first UTF-16 unit, longest first: a query only tries the cues
  // that can start at each position.
  const byFirst = new Map<string, FacetCue[]>();
  for (const cue of table.cues) {
    const key = cue.cue[0]!;
    const bucket = byFirst.get(key);
    if (bucket) bucket.push(cue);
    else byFirst.set(key, [cue]);
  }
  for (const bucket of byFirst.values()) bucket.sort((a, b) => b.cue.length - a.cue.length);

  return (text: string): FacetMatch => {
    const found: Occurrence[] = [];
    for (let i = 0; i < text.length; i++) {
      const bucket = byFirst.get(text[i]!);
      if (!bucket) continue;
      for (const cue of bucket) {
        if (text.startsWith(cue.cue, i)) found.push({ cue, start: i, end: i + cue.cue.length });
      }
    }
    if (found.length === 0) return { facet: null, cue: null, rest: text };

    // Rule 1: an occurrence inside a longer one is part of that phrase.
    const live = found.filter((o) => !found.some((p) => p !== o
      && p.start <= o.start && o.end <= p.end && p.end - p.start > o.end - o.start));

    const asked = live.filter((o) => o.cue.facet !== 'none' && o.cue.facet !== 'overview' && o.cue.facet !== 'can');
    let winner = best(asked);
    // Rule 3: "can I do it online / how do I apply online" is an online
    // question; the process or conditions wording only qualifies it.
    let qualifier: Occurrence | undefined;
    const online = best(asked.filter((o) => o.cue.facet === 'online'));
    if (winner && online && (winner === online || QUALIFIES_ONLINE.has(winner.cue.facet))) {
      qualifier = best(asked.filter((o) => QUALIFIES_ONLINE.has(o.cue.facet)));
      winner = online;
    }
    // Rule 4: a yes/no "can I" question asks about conditions, and overview
    // wording counts, only when nothing narrower is asked.
    winner ??= best(live.filter((o) => o.cue.facet === 'can'));
    const overview = live.filter((o) => o.cue.facet === 'overview');
    winner ??= best(overview);
    if (!winner) return { facet: null, cue: null, rest: text };

    // Take out the winning cue with any cue of its facet overlapping it ("咨询电话"
    // + "电话多少" is one phrase), its qualifier and any overview wording (我想办,
    // 怎么办): all are question, not subject. Other cues may be subject words
    // (复印件, 地址, 照片), so they stay.
    const w = winner;
    const overlapping = live.filter((o) => o.cue.facet === w.cue.facet && o.start < w.end && w.start < o.end);
    const spans = [...overlapping, ...(qualifier ? [qualifier] : []), ...overview]
      .map((o) => [o.start, o.end] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const span of spans) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([...span]);
    }
    let rest = text;
    for (const [start, end] of merged.reverse()) rest = `${rest.slice(0, start)} ${rest.slice(end)}`;
    rest = rest.replace(/\s+/g, ' ').trim();
    return { facet: winner.cue.facet === 'can' ? 'conditions' : winner.cue.facet as Facet, cue: winner.cue.cue, rest };
  };
}

// Rule 2: longest, then latest, then the facet order above.
function best(occurrences: Occurrence[]): Occurrence | undefined {
  let top: Occurrence | undefined;
  for (const o of occurrences) {
    if (!top) { top = o; continue; }
    const len = o.end - o.start;
    const topLen = top.end - top.start;
    if (len !== topLen) { if (len > topLen) top = o; continue; }
    if (o.start !== top.start) { if (o.start > top.start) top = o; continue; }
    if (PRIORITY.indexOf(o.cue.facet as Facet) < PRIORITY.indexOf(top.cue.facet as Facet)) top = o;
  }
  return top;
}

/**
 * The table with each cue also spelt with the lexicon's misspellings of its words
 * (哪些材料 as 哪些才料), so a slip inside the question wording still asks what it asks.
 */
function withMisspellings(table: CueTable, lexicon: Lexicon): CueTable {
  const known = new Set(table.cues.map((c) => c.cue));
  const extra: FacetCue[] = [];
  for (const group of lexicon.groups) {
    for (const [typo, meant] of group.typos) {
      for (const cue of table.cues) {
        const spelt = cue.cue.split(meant).join(typo);
        if (spelt === cue.cue || known.has(spelt)) continue;
        known.add(spelt);
        extra.push({ ...cue, cue: spelt });
      }
    }
  }
  return { cues: [...table.cues, ...extra], problems: table.problems };
}

let shipped: { table: CueTable; detect: (text: string) => FacetMatch } | undefined;

function shippedCues(): { table: CueTable; detect: (text: string) => FacetMatch } {
  if (!shipped) {
    const table = parseFacetCues(readFileSync(new URL('./lexicon/facets.txt', import.meta.url), 'utf8'));
    shipped = { table, detect: createFacetDetector(withMisspellings(table, defaultLexicon())) };
  }
  return shipped;
}

/** The cue table shipped with the code, read once per process. */
export function facetCueTable(): CueTable {
  return shippedCues().table;
}

/** The facet cue words (not the 'none' masks, not the "can I" wording), for the segmenter's dictionary. */
export function facetCueWords(): string[] {
  return facetCueTable().cues.filter((c) => c.facet !== 'none' && c.facet !== 'can').map((c) => c.cue);
}

/** The facet a normalised question asks about, the cue that said so, and the text without it. */
export function detectFacet(normalizedText: string): FacetMatch {
  return shippedCues().detect(normalizedText);
}
