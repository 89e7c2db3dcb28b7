// The domain lexicon: synonym and alias groups of government-service language
// (retrieval/lexicon/synonyms.txt), used to expand query tokens and to teach
// the segmenter domain words.
import { readFileSync } from 'node:fs';
import { foldTerm } from './normalize.ts';

export interface LexiconGroup {
  /** 1-based line of the group in the source file. */
  readonly line: number;
  /** The first term: the usual official wording. */
  readonly canonical: string;
  /** All correct terms of the group, canonical first. */
  readonly terms: readonly string[];
  /** Misspellings citizens make → the term each one means. */
  readonly typos: ReadonlyMap<string, string>;
}

export interface LexiconProblem {
  line: number;
  message: string;
}

export interface Lexicon {
  readonly groups: readonly LexiconGroup[];
  /** Problems found while parsing; the shipped file must have none (tested). */
  readonly problems: readonly LexiconProblem[];
  /** The group holding a term or typo, if any. */
  groupOf(term: string): LexiconGroup | undefined;
  /** Every term and typo, for the segmenter's dictionary. */
  words(): string[];
}

/**
 * A query term with its weight. The user's own tokens weigh 1; terms added
 * from their group weigh EXPANSION_WEIGHT, so a BM25 stage can count a
 * synonym as weaker evidence than the word the citizen typed. A misspelt
 * token's intended word weighs CORRECTION_WEIGHT: it is what the user meant.
 */
export interface WeightedTerm {
  term: string;
  weight: number;
  /** The token this term was expanded from; null for the user's own token. */
  from: string | null;
}

export const EXPANSION_WEIGHT = 0.5;
export const CORRECTION_WEIGHT = 1;

const TYPO_ARROW = /\s*(?:→|->)\s*/;
const SEPARATORS = /[\s|]+/;

interface MutableGroup {
  line: number;
  terms: string[];
  typos: Map<string, string>;
}

/** Parses the lexicon format (see the header of synonyms.txt). Never throws: problems are listed. */
export function parseLexicon(source: string): Lexicon {
  const groups: MutableGroup[] = [];
  const problems: LexiconProblem[] = [];
  const owner = new Map<string, MutableGroup>();
  const typoLines: { line: number; typos: string[]; target: string }[] = [];

  const claim = (term: string, group: MutableGroup, line: number): boolean => {
    const holder = owner.get(term);
    if (holder) {
      problems.push({
        line,
        message: holder === group
          ? `"${term}" appears twice in the group`
          : `"${term}" is already in the group on line ${holder.line}`,
      });
      return false;
    }
    owner.set(term, group);
    return true;
  };

  source.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/#.*/, '').trim();
    if (!content) return;
    const arrow = content.split(TYPO_ARROW);
    if (arrow.length > 2) {
      problems.push({ line, message: 'more than one arrow' });
      return;
    }
    if (arrow.length === 2) {
      const typos = arrow[0]!.split(SEPARATORS).filter(Boolean).map(foldTerm);
      const target = foldTerm(arrow[1]!);
      if (typos.length === 0 || !target || SEPARATORS.test(target)) {
        problems.push({ line, message: 'a typo line is "typo … → one term"' });
        return;
      }
      typoLines.push({ line, typos, target });
      return;
    }
    const group: MutableGroup = { line, terms: [], typos: new Map() };
    for (const term of content.split(SEPARATORS).filter(Boolean).map(foldTerm)) {
      if (claim(term, group, line)) group.terms.push(term);
    }
    if (group.terms.length < 2) {
      problems.push({ line, message: 'a group needs at least two terms' });
    }
    if (group.terms.length > 0) groups.push(group);
  });

  // Typo lines may point at a group defined further down, so they come second.
  for (const { line, typos, target } of typoLines) {
    const group = owner.get(target);
    if (!group || !group.terms.includes(target)) {
      problems.push({ line, message: `"${target}" is not a term of any group` });
      continue;
    }
    for (const typo of typos) {
      if (claim(typo, group, line)) group.typos.set(typo, target);
    }
  }

  const frozen = new Map<MutableGroup, LexiconGroup>(groups.map((g) => [g, Object.freeze({
    line: g.line, canonical: g.terms[0]!, terms: Object.freeze([...g.terms]), typos: g.typos,
  })]));
  return {
    groups: [...frozen.values()],
    problems,
    groupOf: (term) => {
      const g = owner.get(term);
      return g ? frozen.get(g) : undefined;
    },
    words: () => [...owner.keys()],
  };
}

let shipped: Lexicon | undefined;

/** The lexicon shipped with the code, read once per process. */
export function defaultLexicon(): Lexicon {
  shipped ??= parseLexicon(readFileSync(new URL('./lexicon/synonyms.txt', import.meta.url), 'utf8'));
  return shipped;
}

/** All lexicon terms and typos (for the segmenter's user dictionary). */
export function lexiconWords(lexicon: Lexicon = defaultLexicon()): string[] {
  return lexicon.words();
}

/**
 * The tokens (weight 1, deduplicated, in order) followed by the other terms of
 * their groups. A term reached from several tokens keeps its highest weight.
 * Typos are never added as expansions of correct words.
 */
export function expand(tokens: Iterable<string>, lexicon: Lexicon = defaultLexicon()): WeightedTerm[] {
  const out: WeightedTerm[] = [];
  const seen = new Map<string, WeightedTerm>();
  const own: string[] = [];
  for (const token of tokens) {
    if (seen.has(token)) continue;
    const term = { term: token, weight: 1, from: null };
    seen.set(token, term);
    out.push(term);
    own.push(token);
  }
  for (const token of own) {
    const group = lexicon.groupOf(token);
    if (!group) continue;
    const meant = group.typos.get(token);
    for (const term of group.terms) {
      if (term === token) continue;
      const weight = term === meant ? CORRECTION_WEIGHT : EXPANSION_WEIGHT;
      const existing = seen.get(term);
      if (existing) {
        if (existing.from !== null && existing.weight < weight) existing.weight = weight;
        continue;
      }
      const added = { term, weight, from: token };
      seen.set(term, added);
      out.push(added);
    }
  }
  return out;
}
