// The sparse stage: BM25F over words and character bigrams, with per-field weights
// and length normalisation, kept in step with the knowledge base incrementally.
// Postings are typed arrays; a removed entry is only flagged dead and the arrays are
// compacted once enough of them are, so edits cost little and 100k entries fit in memory.
import { readFileSync } from 'node:fs';
import type { Entry } from '../knowledge/index.ts';
import { analyzeEntry, FieldWeights, TitleSlots, type EntryAnalysis, type FieldSlot } from './entry-fields.ts';
import { defaultOperations } from './operations.ts';
import { Homophones } from './homophones.ts';
import { wordList } from './normalize.ts';
import { charBigrams, inDictionary, isStopword } from './segment.ts';
import type { AnalyzedQuery, Analyzer, Stage, StageHit } from './types.ts';

export interface Bm25Options {
  k1: number;
  b: number;
  /** Length normalisation of names and questions: milder, since a long question is not a diluted one. */
  titleB: number;
  /** Query weight of a character bigram relative to a word: bigrams repeat what words say. */
  bigramWeight: number;
  /** Query weight of a lexicon synonym relative to the word the user typed. */
  expansionWeight: number;
  /** Further factor for words of operation (办理, 补办, 查询 …) and offices (户政事务所, 车管所 …): the matter's object says more about which matter is meant. */
  actionWeight: number;
  /** Query weight of the synonyms of a word no indexed entry uses. */
  unseenExpansionWeight: number;
  /** Query weight of the facet wording (多少钱, 什么条件) and its synonyms. */
  facetWeight: number;
}

let offices: ReadonlySet<string> | undefined;

/** The offices of lexicon/offices.txt, read once per process. */
function officeWords(): ReadonlySet<string> {
  offices ??= new Set(wordList(readFileSync(new URL('./lexicon/offices.txt', import.meta.url), 'utf8')));
  return offices;
}

export const Bm25Defaults: Readonly<Bm25Options> = Object.freeze({ k1: 1.2, b: 0.75, titleB: 0.75, bigramWeight: 0.4, expansionWeight: 0.35, actionWeight: 0.5, unseenExpansionWeight: 0.7, facetWeight: 0.6 });

const AddChunk = 2000;

/** Bigrams live in the same dictionary as words, told apart by this prefix. */
const BigramPrefix = '\u0001';

export interface QueryTerm {
  term: string;
  weight: number;
  kind: 'word' | 'bigram' | 'synonym' | 'facet';
}

export interface PreparedQuery {
  terms: { id: number; weight: number }[];
  /** The score of an entry that has every query term once in its name: a scale for "how lexical is this match". */
  reference: number;
}

class Postings {
  docs = new Int32Array(4);
  tfs = new Float32Array(4);
  length = 0;

  trim(): void {
    if (this.docs.length === this.length) return;
    this.docs = this.docs.slice(0, Math.max(1, this.length));
    this.tfs = this.tfs.slice(0, Math.max(1, this.length));
  }

  push(doc: number, tf: number): void {
    if (this.length === this.docs.length) {
      const docs = new Int32Array(Math.max(4, this.length * 2));
      docs.set(this.docs);
      this.docs = docs;
      const tfs = new Float32Array(Math.max(4, this.length * 2));
      tfs.set(this.tfs);
      this.tfs = tfs;
    }
    this.docs[this.length] = doc;
    this.tfs[this.length++] = tf;
  }
}

/** The k best documents by score, best first, through a bounded min-heap on typed arrays. */
function topK(docs: Int32Array, count: number, scores: Float32Array, k: number): [number, number][] {
  const heapDocs = new Int32Array(k);
  const heapScores = new Float32Array(k);
  let size = 0;
  const swap = (i: number, j: number): void => {
    const d = heapDocs[i]!;
    heapDocs[i] = heapDocs[j]!;
    heapDocs[j] = d;
    const s = heapScores[i]!;
    heapScores[i] = heapScores[j]!;
    heapScores[j] = s;
  };
  for (let i = 0; i < count; i++) {
    const doc = docs[i]!;
    const score = scores[doc]!;
    if (size < k) {
      heapDocs[size] = doc;
      heapScores[size] = score;
      for (let j = size++; j > 0;) {
        const p = (j - 1) >> 1;
        if (heapScores[p]! <= heapScores[j]!) break;
        swap(p, j);
        j = p;
      }
    } else if (score > heapScores[0]!) {
      heapDocs[0] = doc;
      heapScores[0] = score;
      for (let j = 0; ;) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < size && heapScores[l]! < heapScores[m]!) m = l;
        if (r < size && heapScores[r]! < heapScores[m]!) m = r;
        if (m === j) break;
        swap(j, m);
        j = m;
      }
    }
  }
  const out: [number, number][] = [];
  for (let i = 0; i < size; i++) out.push([heapDocs[i]!, heapScores[i]!]);
  return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

export class Bm25Index implements Stage {
  readonly name = 'bm25';
  private readonly options: Bm25Options;
  private readonly termIds = new Map<string, number>();
  private postings: Postings[] = [];
  private df: number[] = [];
  private ids: string[] = [];
  private alive = new Uint8Array(16);
  private titles: string[] = [];
  private readonly docOf = new Map<string, number>();
  private dead = 0;
  private readonly slotLength = new Map<FieldSlot, { sum: number; count: number }>();
  private scores = new Float32Array(16);
  private touched = new Int32Array(16);
  /** Characters of the entries' names and questions, for reading a typed slip as the word meant. */
  private readonly homophones = new Homophones(isStopword);

  constructor(private readonly analyzer: Analyzer, options: Partial<Bm25Options> = {}) {
    this.options = { ...Bm25Defaults, ...options };
  }

  get size(): number {
    return this.docOf.size;
  }

  async upsert(entries: Entry[]): Promise<void> {
    this.add(entries);
  }

  /** Indexes (or re-indexes) entries; `analysis` lets a build share segmentation with the embedder. */
  add(entries: Entry[], analysis: EntryAnalysis = (e) => analyzeEntry(this.analyzer, e)): void {
    // In chunks, so a 100k-entry build never holds every entry's tokens at once. Each chunk
    // updates the average field lengths before its entries are normalised against them.
    for (let start = 0; start < entries.length; start += AddChunk) {
      const analyzed = entries.slice(start, start + AddChunk).map((entry) => this.analyze(entry, analysis));
      for (const doc of analyzed) {
        for (const field of doc.fields) {
          const stat = this.slotLength.get(field.slot) ?? { sum: 0, count: 0 };
          stat.sum += field.words.length;
          stat.count++;
          this.slotLength.set(field.slot, stat);
        }
      }
      for (const doc of analyzed) this.addDoc(doc);
    }
    this.maybeCompact();
    // After a bulk build, give back the slack that doubling left in the postings.
    if (entries.length >= 1000) for (const p of this.postings) p.trim();
  }

  remove(ids: string[]): void {
    for (const id of ids) this.removeDoc(id);
    this.maybeCompact();
  }

  /** The normalised name-like text of an entry (name, aliases, question, alternates, tags), for coverage checks. */
  titleText(id: string): string | null {
    const doc = this.docOf.get(id);
    return doc === undefined ? null : this.titles[doc]!;
  }

  /** Inverse document frequency of a word, for weighting how much of a query an entry covers. */
  idf(term: string): number {
    const id = this.termIds.get(term);
    const df = id === undefined ? 0 : this.df[id]!;
    // Counted like df, removed documents included until the next compaction.
    const n = this.ids.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Whether some live entry's name or question holds the text (two characters or more). */
  private inSomeName(text: string): boolean {
    if (!this.idfKnown(BigramPrefix + text.slice(0, 2))) return false;
    if (text.length === 2) return true;
    const postings = this.postings[this.termIds.get(BigramPrefix + text.slice(0, 2))!]!;
    for (let i = 0; i < postings.length; i++) {
      const doc = postings.docs[i]!;
      if (this.alive[doc] && this.titles[doc]!.includes(text)) return true;
    }
    return false;
  }

  /** Whether some indexed document holds the term. */
  private idfKnown(term: string): boolean {
    const id = this.termIds.get(term);
    return id !== undefined && this.df[id]! > 0;
  }

  /** The query's weighted terms: what the user typed, its bigrams, and lexicon synonyms at a lower weight. */
  queryTerms(query: AnalyzedQuery): QueryTerm[] {
    const terms = new Map<string, QueryTerm>();
    const { actionWords } = defaultOperations();
    const offices = officeWords();
    // Search mode also cuts an office into its parts (户政事务所: 户政, 事务, 事务所 …): they weigh as lightly.
    const officesSaid = query.tokens.filter((token) => offices.has(token));
    const light = (word: string): boolean => actionWords.has(word) || officesSaid.some((office) => office.includes(word));
    const put = (term: string, weight: number, kind: QueryTerm['kind'], word = term): void => {
      if (!terms.has(term)) terms.set(term, { term, weight: light(word) ? weight * this.options.actionWeight : weight, kind });
    };
    for (const token of query.tokens) put(token, 1, 'word');
    for (const gram of charBigrams(query.text)) put(BigramPrefix + gram, this.options.bigramWeight, 'bigram', gram);
    // A word no entry uses (老人卡, 增驾) is only ever found through its synonyms: they stand in for it.
    for (const token of query.tokens) {
      if (this.idfKnown(token)) continue;
      for (const synonym of this.analyzer.expand([token]).slice(1)) put(synonym, this.options.unseenExpansionWeight, 'synonym');
    }
    // Bigrams no entry uses may hide an input-method slip (注测登记 → 注册, 册登).
    for (const run of query.text.split(/\s+/)) {
      for (const pair of this.homophones.slips(run, (text) => this.inSomeName(text), inDictionary)) put(BigramPrefix + pair, this.options.bigramWeight, 'synonym', pair);
    }
    for (const synonym of this.analyzer.expand(query.tokens)) put(synonym, this.options.expansionWeight, 'synonym');
    // The facet wording, taken out of the retrieval text, still tells an FAQ asking the
    // same thing (收费多少钱？) from its neighbours (资格为何？): weak evidence, as synonyms.
    if (query.facet.cue) {
      const cue = this.analyzer.tokens(query.facet.cue);
      for (const word of this.analyzer.expand(cue)) put(word, this.options.facetWeight, 'facet');
    }
    return [...terms.values()];
  }

  prepare(query: AnalyzedQuery): PreparedQuery {
    const { k1 } = this.options;
    const saturatedName = (FieldWeights.title * (k1 + 1)) / (FieldWeights.title + k1);
    const terms: PreparedQuery['terms'] = [];
    let reference = 0;
    for (const { term, weight, kind } of this.queryTerms(query)) {
      if (kind !== 'synonym' && kind !== 'facet') reference += weight * this.idf(term) * saturatedName;
      const id = this.termIds.get(term);
      // A weightless term would only touch documents, and touch them twice.
      if (weight > 0 && id !== undefined && this.df[id]! > 0) terms.push({ id, weight });
    }
    return { terms, reference };
  }

  async search(query: AnalyzedQuery, k: number): Promise<StageHit[]> {
    return this.run(this.prepare(query), k);
  }

  run(prepared: PreparedQuery, k: number): StageHit[] {
    const { k1 } = this.options;
    // Counted like df, removed documents included until the next compaction.
    const n = this.ids.length;
    let touchedCount = 0;
    // Rare terms first. Once they have found candidates, a common term (办理, 申请 …) only
    // adds to those, looked up by binary search (postings are in document order), rather
    // than walking a posting list as long as the knowledge base: an entry that matches
    // nothing but common words is no answer anyway.
    const terms = [...prepared.terms].sort((a, b) => this.df[a.id]! - this.df[b.id]!);
    for (const { id, weight } of terms) {
      const df = this.df[id]!;
      const w = weight * Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (k1 + 1);
      const p = this.postings[id]!;
      if (touchedCount > 0 && touchedCount * 20 < p.length) {
        for (let t = 0; t < touchedCount; t++) {
          const doc = this.touched[t]!;
          let lo = 0;
          let hi = p.length - 1;
          while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            const at = p.docs[mid]!;
            if (at === doc) {
              const tf = p.tfs[mid]!;
              this.scores[doc] += (w * tf) / (tf + k1);
              break;
            }
            if (at < doc) lo = mid + 1;
            else hi = mid - 1;
          }
        }
        continue;
      }
      for (let i = 0; i < p.length; i++) {
        const doc = p.docs[i]!;
        if (!this.alive[doc]) continue;
        const tf = p.tfs[i]!;
        if (this.scores[doc] === 0) this.touched[touchedCount++] = doc;
        this.scores[doc] += (w * tf) / (tf + k1);
      }
    }
    const best = topK(this.touched, touchedCount, this.scores, k);
    for (let i = 0; i < touchedCount; i++) this.scores[this.touched[i]!] = 0;
    return best.map(([doc, score]) => [this.ids[doc]!, score]);
  }

  private analyze(entry: Entry, analysis: EntryAnalysis): { id: string; title: string; fields: { slot: FieldSlot; weight: number; words: string[]; grams: string[] }[] } {
    const titles: string[] = [];
    const fields = analysis(entry).map((field) => {
      const title = TitleSlots.has(field.slot);
      if (title) titles.push(field.normalized);
      return { slot: field.slot, weight: field.weight, words: field.tokens, grams: title ? charBigrams(field.normalized) : [] };
    });
    return { id: entry.id, title: titles.join(' '), fields };
  }

  private addDoc(doc: ReturnType<Bm25Index['analyze']>): void {
    this.removeDoc(doc.id);
    const { b, titleB } = this.options;
    const tf = new Map<string, number>();
    for (const field of doc.fields) {
      const stat = this.slotLength.get(field.slot);
      const avg = stat && stat.count > 0 ? Math.max(1, stat.sum / stat.count) : 1;
      const slotB = TitleSlots.has(field.slot) ? titleB : b;
      const norm = field.weight / (1 - slotB + (slotB * field.words.length) / avg);
      for (const word of field.words) tf.set(word, (tf.get(word) ?? 0) + norm);
      for (const gram of field.grams) tf.set(BigramPrefix + gram, (tf.get(BigramPrefix + gram) ?? 0) + norm);
    }
    const number = this.ids.length;
    this.ids.push(doc.id);
    this.titles.push(doc.title);
    this.homophones.learn(doc.title);
    this.docOf.set(doc.id, number);
    this.grow(number + 1);
    this.alive[number] = 1;
    for (const [term, value] of tf) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.postings.length;
        this.termIds.set(term, id);
        this.postings.push(new Postings());
        this.df.push(0);
      }
      this.postings[id]!.push(number, value);
      this.df[id]!++;
    }
  }

  private removeDoc(id: string): void {
    const doc = this.docOf.get(id);
    if (doc === undefined) return;
    this.docOf.delete(id);
    this.alive[doc] = 0;
    this.titles[doc] = '';
    this.dead++;
  }

  private grow(size: number): void {
    if (size <= this.alive.length) return;
    const capacity = Math.max(size, this.alive.length * 2);
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
    this.scores = new Float32Array(capacity);
    this.touched = new Int32Array(capacity);
  }

  /**
   * Renumbers the live documents once a quarter of the numbers belong to removed ones,
   * and recounts document frequencies: a removal leaves them as they were until then,
   * which spares keeping every document's term list (a third of the index at 100k entries).
   */
  private maybeCompact(): void {
    if (this.dead < 64 || this.dead * 4 < this.ids.length) return;
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    const titles: string[] = [];
    for (let doc = 0; doc < this.ids.length; doc++) {
      if (!this.alive[doc]) continue;
      renumber[doc] = ids.length;
      ids.push(this.ids[doc]!);
      titles.push(this.titles[doc]!);
    }
    this.postings.forEach((p, term) => {
      let w = 0;
      for (let r = 0; r < p.length; r++) {
        const doc = renumber[p.docs[r]!]!;
        if (doc < 0) continue;
        p.docs[w] = doc;
        p.tfs[w++] = p.tfs[r]!;
      }
      p.length = w;
      this.df[term] = w;
    });
    this.ids = ids;
    this.titles = titles;
    this.docOf.clear();
    ids.forEach((id, doc) => this.docOf.set(id, doc));
    this.alive = new Uint8Array(Math.max(16, ids.length)).fill(1, 0, ids.length);
    this.scores = new Float32Array(this.alive.length);
    this.touched = new Int32Array(this.alive.length);
    this.dead = 0;
  }
}
