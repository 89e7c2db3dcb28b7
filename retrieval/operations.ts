// Operations (retrieval/lexicon/operations.txt): what a citizen wants done with a
// matter's object. Near-duplicate entries often differ only in the operation their
// name carries (…办证进度查询, …（变更）, …（注销）), and a question that names none
// asks for the plain matter; words of operation also say less about which matter is
// meant than its object does.
import { readFileSync } from 'node:fs';
import { entryTitle, type Entry } from '../knowledge/index.ts';
import { charBigrams } from './segment.ts';
import { byScore, type FusedCandidate } from './fusion.ts';
import { foldTerm } from './normalize.ts';
import type { AnalyzedQuery, Analyzer } from './types.ts';

export interface Operation {
  /** The first word of its line, for tests and the hit test. */
  readonly name: string;
  /** Words that name it in an entry's title (and in a query). */
  readonly titleWords: readonly string[];
  /** All words that express it in a query. */
  readonly queryWords: readonly string[];
}

export interface Operations {
  /** Operations held against an entry that carries one the citizen did not express. */
  readonly list: readonly Operation[];
  /** Every word of every line, the plain operation's included. */
  readonly actionWords: ReadonlySet<string>;
}

/** Parses the operations format (see the header of operations.txt). */
export function parseOperations(source: string): Operations {
  const list: Operation[] = [];
  const actionWords = new Set<string>();
  for (const raw of source.split('\n')) {
    const content = raw.replace(/#.*/, '').trim();
    if (!content) continue;
    const plain = content.startsWith('=');
    const [named = '', implied = ''] = content.replace(/^=/, '').split('|');
    const words = (text: string): string[] => text.split(/\s+/).filter(Boolean).map(foldTerm);
    const titleWords = words(named);
    const queryWords = [...titleWords, ...words(implied)];
    for (const word of queryWords) actionWords.add(word);
    if (!plain && titleWords.length > 0) list.push({ name: titleWords[0]!, titleWords, queryWords });
  }
  return { list, actionWords };
}

let shipped: Operations | undefined;

/** The operations shipped with the code, read once per process. */
export function defaultOperations(): Operations {
  shipped ??= parseOperations(readFileSync(new URL('./lexicon/operations.txt', import.meta.url), 'utf8'));
  return shipped;
}

/** Whether a word occurs in the text: a longer word anywhere, a single character only as a word of its own. */
function says(text: string, words: ReadonlySet<string>, word: string): boolean {
  return [...word].length > 1 ? text.includes(word) : words.has(word);
}

/** A conjunction (or enumeration comma, before punctuation is folded) and the two characters after it. */
const Conjoined = /[及和与與、]\S{2}/g;

/** How far below an entry its plain twin may score and still be put above it, as a share of the entry's score. */
const TwinReach = 0.06;
/** How far below its twin an entry carrying just the operation asked may score and still be put above it. */
const AskedReach = 0.15;
/** Candidates looked at: near-duplicates of the best answers sit near the top. */
const TwinWindow = 10;
/** Share of two titles' objects (their character bigrams, words of operation taken out) that makes them one matter's variants. */
const SameObject = 0.6;

export interface OperationFit {
  /** The operations an entry's title carries. */
  carried(entry: Entry): ReadonlySet<Operation>;
  /** The operations the citizen's words express. */
  expressed(query: AnalyzedQuery): ReadonlySet<Operation>;
  /**
   * Whether `entry` is `than`'s twin (about the same object) carrying more operations the
   * citizen did not express (`asked` is what they did): a variant they did not ask for,
   * not a rival to the plainer entry.
   */
  lessAsked(entry: Entry, than: Entry, asked: ReadonlySet<Operation>): boolean;
  /**
   * Moves a candidate carrying an operation the citizen did not express just below its
   * twin — a candidate about the same object carrying fewer such operations — when the
   * twin scores within TwinReach of it; their order among the rest is kept. Only swaps
   * near-ties, so it suits any fusion's scale and leaves other matters where they were.
   */
  rerank(fused: FusedCandidate[], query: AnalyzedQuery, entryOf: (id: string) => Entry | undefined): FusedCandidate[];
}

interface Title {
  operations: ReadonlySet<Operation>;
  /** Character bigrams of the title without its words of operation: what the entry is about. */
  object: ReadonlySet<string>;
}

function sameObject(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const smaller = Math.min(a.size, b.size);
  if (smaller === 0) return false;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / smaller >= SameObject;
}

export function createOperationFit(analyzer: Analyzer, operations: Operations = defaultOperations()): OperationFit {
  // Longest first, so 进度查询 goes as a whole before 查询 would leave 进度 behind.
  const longWords = [...operations.actionWords].filter((w) => [...w].length > 1).sort((a, b) => b.length - a.length);
  // Entries are replaced on every update, so a WeakMap never serves a stale title.
  const memo = new WeakMap<Entry, Title>();
  const titleOf = (entry: Entry): Title => {
    let title = memo.get(entry);
    if (!title) {
      // "往来港澳通行证及签注", "办理及加注普通护照": an operation joined on to the plain
      // matter is offered beside it, not instead of it.
      const text = analyzer.normalize(entryTitle(entry).replace(Conjoined, ' ')).text;
      const words = new Set(analyzer.tokens(text));
      title = {
        operations: new Set(operations.list.filter((op) => op.titleWords.some((w) => says(text, words, w)))),
        object: new Set(charBigrams(longWords.reduce((rest, word) => rest.split(word).join(' '), text))),
      };
      memo.set(entry, title);
    }
    return title;
  };
  // Asked twice per search (the rerank, then the confidence margins): segmenting the message once will do.
  const heard = new WeakMap<AnalyzedQuery, ReadonlySet<Operation>>();
  const expressed = (query: AnalyzedQuery): ReadonlySet<Operation> => {
    let ops = heard.get(query);
    if (!ops) {
      // The whole message: facet wording (怎么查) can express an operation too.
      const text = query.normalized.text;
      const words = new Set([...query.tokens, ...analyzer.tokens(text)]);
      ops = new Set(operations.list.filter((op) => op.queryWords.some((w) => says(text, words, w))));
      heard.set(query, ops);
    }
    return ops;
  };
  const unaskedIn = (title: Title, asked: ReadonlySet<Operation>): number => [...title.operations].filter((op) => !asked.has(op)).length;
  /**
   * A matter guide whose name carries the operation asked and nothing else (换个新的: …换领) goes
   * just above a twin guide that carries none of it (…新办证申请) when it scores within AskedReach
   * of it. Guides only: an FAQ's question names operations in passing, and its own guide is the
   * broader answer.
   */
  const promoteAsked = (list: FusedCandidate[], asked: ReadonlySet<Operation>, entryOf: (id: string) => Entry | undefined): FusedCandidate[] => {
    if (asked.size === 0) return list;
    const titles = list.slice(0, TwinWindow).map((c) => {
      const entry = entryOf(c.entryId);
      return entry?.kind === 'matter' ? titleOf(entry) : null;
    });
    const carries = titles.map((t) => t !== null && [...t.operations].some((op) => asked.has(op)));
    let moved = false;
    const out = list.map((c, i) => {
      const own = titles[i];
      if (!own || !carries[i] || unaskedIn(own, asked) > 0) return c;
      const twin = titles.findIndex((other, k) => k < i && other !== null && !carries[k]
        && c.score >= list[k]!.score * (1 - AskedReach) && sameObject(own.object, other.object));
      if (twin < 0) return c;
      moved = true;
      return { ...c, score: list[twin]!.score + c.score * 1e-3 };
    });
    return moved ? out.sort(byScore) : list;
  };
  return {
    carried: (entry) => titleOf(entry).operations,
    expressed,
    lessAsked(entry, than, asked) {
      const own = titleOf(entry);
      const other = titleOf(than);
      return unaskedIn(own, asked) > unaskedIn(other, asked) && sameObject(own.object, other.object);
    },
    rerank(fused, query, entryOf) {
      const top = fused.slice(0, TwinWindow).map((c) => {
        const entry = entryOf(c.entryId);
        return entry ? titleOf(entry) : null;
      });
      if (!top.some((t) => t && t.operations.size > 0)) return fused;
      const asked = expressed(query);
      const unasked = top.map((t) => (t ? unaskedIn(t, asked) : 0));
      let changed = false;
      const out = fused.map((c, i) => {
        const own = top[i];
        if (!own || !unasked[i]) return c;
        // The lowest twin within reach, so the entry ends below every plainer variant near it.
        let twin: number | null = null;
        for (let j = i + 1; j < top.length; j++) {
          const other = top[j];
          if (other && unasked[j]! < unasked[i]! && fused[j]!.score >= c.score * (1 - TwinReach) && sameObject(own.object, other.object)) twin = j;
        }
        if (twin === null) return c;
        changed = true;
        // Just below the twin, the higher of two moved entries still the higher.
        const below = fused[twin]!.score;
        return { ...c, score: below - (below - c.score * (1 - TwinReach)) * 0.01 };
      });
      const demoted = changed ? out.sort(byScore) : fused;
      return promoteAsked(demoted, asked, entryOf);
    },
  };
}
