// The retriever: builds the sparse and dense stages over the live knowledge base,
// keeps them in step with the store before every search, and fuses their ranked
// lists into candidates with a calibrated confidence.
import { entryTitle, type Entry, type KnowledgeStore, type Matter } from '../knowledge/index.ts';
import { Bm25Index, type Bm25Options, type PreparedQuery } from './bm25.ts';
import { confidenceOf, DefaultCalibration, type Calibration, type ConfidenceFeatures } from './calibration.ts';
import { builtinSource, fixedSource, type BuiltinOptions } from './embedders/builtin.ts';
import { RetrievalError } from './errors.ts';
import { fuse, FusionDefaults, stageAgreement, type FusedCandidate, type FusionMethod, type StageName, type StageScore } from './fusion.ts';
import { sharedAnalysis } from './entry-fields.ts';
import { DenseIndex, HnswDefaults, type DenseIndexInfo, type HnswOptions } from './hnsw-index.ts';
import type { AnalyzedQuery, Analyzer, Embedder } from './types.ts';
import { VariantGroups, type VariantGroup } from './variants.ts';
import { createExclusiveFit } from './exclusive.ts';
import { createFacetFit } from './facet-fit.ts';
import { createOperationFit } from './operations.ts';
import { withoutIdentifiers } from './normalize.ts';

export type EngineName = 'builtin' | 'transformers';

export interface RetrieverConfig {
  /** Where the dense index is persisted; none keeps everything in memory. */
  dataDir?: string;
  engine: EngineName;
  hnsw: HnswOptions;
  fusion: FusionMethod;
  /** Candidates returned per search. */
  k: number;
  /** Stages searched by default; a stage left out here is not even built. */
  stages?: StageName[];
  fusionWeights?: Record<StageName, number>;
  calibration?: Calibration;
  bm25?: Partial<Bm25Options>;
  builtin?: Partial<BuiltinOptions>;
}

export const RetrieverDefaults: Readonly<RetrieverConfig> = Object.freeze({
  engine: 'builtin',
  hnsw: HnswDefaults,
  fusion: FusionDefaults.method,
  k: 10,
});

/** What the retriever needs of the knowledge store: the live entries and what changed since a revision. */
export type EntrySource = Pick<KnowledgeStore, 'revision' | 'liveEntries' | 'changesSince'>;

export interface RetrieverDeps {
  store: EntrySource;
  analyzer: Analyzer;
  /** Required for the transformers engine; replaces the learned one for builtin (tests). */
  embedder?: Embedder;
}

export interface Candidate {
  entryId: string;
  title: string;
  score: number;
  stages: Partial<Record<StageName, StageScore>>;
}

export interface RetrievalResult {
  query: AnalyzedQuery;
  candidates: Candidate[];
  confidence: number;
  /** What the confidence was computed from, for the hit test and for fitting the calibration. */
  features: ConfidenceFeatures;
  timings: Record<string, number>;
}

export interface SearchOptions {
  k?: number;
  stages?: StageName[];
}

export interface Retriever {
  search(text: string, options?: SearchOptions): Promise<RetrievalResult>;
  /** Text → normalised query with its facet, as the search sees it. */
  analyze(text: string): AnalyzedQuery;
  /** The live entry, from the retriever's cache. */
  entry(id: string): Entry | null;
  /** The entry's near-duplicates with what tells each apart; `among` narrows to those ids (e.g. the close candidates). */
  variantGroup(id: string, among?: Iterable<string>): VariantGroup | null;
  /** The live matter guides. */
  matters(): Matter[];
  /**
   * Whether the query says nothing the entry's own names (name, aliases, question,
   * alternates, tags) do not: each of its words, or a synonym, is in them ("怎么补办"
   * of 居民身份证遗失补领). False for a query without words.
   */
  restates(query: AnalyzedQuery, entryId: string): boolean;
  size(): number;
  /** How the dense index came to be: loaded from disk, or built and why. */
  info(): { revision: number; dense: DenseIndexInfo | null };
  /** Applies pending knowledge-base changes now (search does it anyway). */
  refresh(): Promise<void>;
  /** Persists the dense index if it changed since it was saved. */
  close(): Promise<void>;
}

const Stages: StageName[] = ['bm25', 'dense'];
/** Confidence when the citizen typed an entry's own question, alternate, name or alias. */
const ExactPhrasingConfidence = 0.99;

const ZeroFeatures: ConfidenceFeatures = {
  top: 0, margin: 0, agreement: 0, coverage: 0, lexical: 0, dense: 0, titleCoverage: 0, familyMargin: 0, facetFit: 0,
};

/** Text → the query every stage sees: normalised, its facet wording taken out, segmented. */
export function analyzeQuery(analyzer: Analyzer, text: string): AnalyzedQuery {
  // The original stays as typed: the dialogue quotes it (masked) when it asks back.
  const normalized = { ...analyzer.normalize(withoutIdentifiers(text)), original: text };
  const facet = analyzer.detectFacet(normalized.text);
  const rest = facet.rest.trim();
  return { normalized, facet, text: rest, tokens: rest ? analyzer.tokens(rest) : [] };
}

/** Builds both stages over the store's live entries (or loads the persisted dense index when fresh). */
export async function createRetriever(config: Partial<RetrieverConfig>, deps: RetrieverDeps): Promise<Retriever> {
  const settings: RetrieverConfig = { ...RetrieverDefaults, ...config, hnsw: { ...HnswDefaults, ...config.hnsw } };
  const { store, analyzer } = deps;
  const calibration = settings.calibration ?? DefaultCalibration;
  const fusion = { ...FusionDefaults, method: settings.fusion, weights: settings.fusionWeights ?? FusionDefaults.weights };

  let revision = store.revision();
  const entries = [...store.liveEntries()];
  const cache = new Map<string, Entry>();
  const bm25 = new Bm25Index(analyzer, settings.bm25);
  const variants = new VariantGroups();
  const learn = (batch: Entry[]): void => {
    analyzer.addWords(batch.flatMap((e) => (e.kind === 'matter' ? [e.name, ...e.aliases, ...(e.baseName ? [e.baseName] : [])] : [])));
    for (const e of batch) cache.set(e.id, e);
    variants.upsert(batch);
  };
  learn(entries);

  if (settings.engine === 'transformers' && !deps.embedder) {
    throw new RetrievalError('EMBED_MODEL_MISSING', ['(none given: the transformers engine needs an embedder)']);
  }
  // The embedder trains first and remembers the segmentation of the entries it sampled,
  // which the BM25 build then reuses; the rest is segmented once, by BM25, and not kept.
  const analysis = sharedAnalysis(analyzer);
  const source = deps.embedder ? fixedSource(settings.engine, deps.embedder, analyzer) : builtinSource(analyzer, settings.builtin, analysis);
  const built: StageName[] = (settings.stages ?? Stages).filter((s) => Stages.includes(s));
  const dense = built.includes('dense')
    ? await DenseIndex.open({ source, hnsw: settings.hnsw, revision, entries, ...(settings.dataDir ? { dir: settings.dataDir } : {}) })
    : null;
  analysis.freeze();
  bm25.add(entries, analysis);
  analysis.release();

  let syncing: Promise<void> | null = null;
  const applyChanges = async (): Promise<void> => {
    while (store.revision() !== revision) {
      const changes = store.changesSince(revision);
      learn(changes.upserted);
      for (const id of changes.removed) cache.delete(id);
      variants.remove(changes.removed);
      bm25.remove(changes.removed);
      bm25.add(changes.upserted);
      dense?.remove(changes.removed);
      await dense?.upsert(changes.upserted);
      revision = changes.revision;
      dense?.markRevision(revision);
    }
  };
  // One revision read when nothing changed; concurrent searches share one catch-up.
  const refresh = async (): Promise<void> => {
    if (store.revision() === revision && !syncing) return;
    syncing ??= applyChanges().finally(() => { syncing = null; });
    await syncing;
  };

  const analyze = (text: string): AnalyzedQuery => analyzeQuery(analyzer, text);
  const facetFit = createFacetFit(analyzer);
  const operationFit = createOperationFit(analyzer);
  const exclusiveFit = createExclusiveFit(analyzer);

  const coverage = (query: AnalyzedQuery, entryId: string): number => {
    const title = bm25.titleText(entryId);
    if (!title || query.tokens.length === 0) return 0;
    let found = 0;
    let total = 0;
    for (const token of new Set(query.tokens)) {
      const weight = bm25.idf(token);
      total += weight;
      if (title.includes(token)) found += weight;
    }
    return total > 0 ? found / total : 0;
  };

  // An entry's phrasings (a matter's name and aliases, an FAQ's question and
  // alternates), normalised, and its title as words; memoised per entry object
  // (updates replace it).
  interface Titles { phrasings: Set<string>; words: string[][] }
  const titles = new WeakMap<Entry, Titles>();
  const titlesOf = (entry: Entry): Titles => {
    let t = titles.get(entry);
    if (!t) {
      const texts = entry.kind === 'faq' ? [entry.question, ...entry.alternates] : [entry.name, ...entry.aliases];
      t = {
        phrasings: new Set(texts.map((x) => analyzer.normalize(x).text.replace(/\s+/g, ''))),
        // The title first; a matter's aliases are names too, an FAQ's alternates only paraphrases.
        words: (entry.kind === 'faq' ? [entry.question] : texts).map((x) => [...new Set(analyzer.tokens(analyzer.normalize(x).text))]),
      };
      titles.set(entry, t);
    }
    return t;
  };
  /** Whether the citizen said one of the entry's own phrasings word for word (as staff wrote it). */
  const saysExactly = (query: AnalyzedQuery, entry: Entry | undefined): boolean =>
    entry !== undefined && titlesOf(entry).phrasings.has(query.normalized.text.replace(/\s+/g, ''));
  // The matter an entry belongs to: an FAQ's linked matter, a variant's catalogue matter.
  const familyOf = (id: string): string => {
    const entry = cache.get(id);
    if (entry?.kind === 'faq') return entry.matterId ?? id;
    return entry?.kind === 'matter' && entry.baseName ? `base:${entry.baseName}` : id;
  };

  /**
   * Whether the text says these words (a name cut for search: 注册, 公司, 注册公司) in
   * order, each as itself or a synonym, with at most one character between two of them
   * (注册个公司): a phrase, not words gathered from across the message. Search cuts
   * overlap, so the name is tried as its longest words and as its shortest.
   */
  const saysPhrase = (text: string, words: string[]): boolean => {
    const longest = words.filter((w) => !words.some((other) => other !== w && other.includes(w)));
    const shortest = words.filter((w) => !words.some((other) => other !== w && w.includes(other)));
    return [longest, shortest].some((list) => list.length > 0 && inOrder(text, list));
  };
  const inOrder = (text: string, words: string[]): boolean => {
    let end = -1;
    for (const word of words) {
      let found = -1;
      let foundEnd = -1;
      for (const form of analyzer.expand([word])) {
        const at = text.indexOf(form, Math.max(0, end));
        if (at >= 0 && (found < 0 || at < found)) [found, foundEnd] = [at, at + form.length];
      }
      if (found < 0 || (end >= 0 && found - end > 1)) return false;
      end = foundEnd;
    }
    return true;
  };

  const featuresOf = (query: AnalyzedQuery, fused: FusedCandidate[], stages: StageName[], prepared: PreparedQuery | null): ConfidenceFeatures => {
    const top = fused[0];
    if (!top) return { ...ZeroFeatures };
    const entry = cache.get(top.entryId);
    // Asked something about a matter (its fees, or an operation), a variant of the top entry
    // carrying an operation the citizen did not ask for (…办证进度查询 beside …护照) is no
    // rival to it: the margins are taken over the rest. A bare name still leaves the choice
    // among its variants open (社保卡: 申领, or 挂失补换?).
    const asked = operationFit.expressed(query);
    const asksSomething = asked.size > 0 || (query.facet.facet !== null && query.facet.facet !== 'overview');
    const isRival = (c: FusedCandidate): boolean => {
      const other = cache.get(c.entryId);
      return !(asksSomething && entry && other && operationFit.lessAsked(other, entry, asked));
    };
    const second = fused.slice(1).find(isRival)?.score ?? 0;
    const lexical = top.stages.bm25 && prepared && prepared.reference > 0 ? Math.min(1, top.stages.bm25.score / prepared.reference) : 0;
    // How much of the entry's own title the citizen said, in their words or synonyms
    // (丢了 for 遗失), weighted by rarity: a bare name matched to a long, specific FAQ
    // question scores low. A matter's alias said as a phrase ("注册个公司") names it
    // as surely as its title; part of an alias does not, as its rare words may be the
    // generic ones (驾照找不到了: 找不到了).
    const [title = [], ...aliases] = entry ? titlesOf(entry).words : [];
    const said = new Set(analyzer.expand(query.tokens));
    const namedByAlias = aliases.some((words) => saysPhrase(query.text, words));
    let titleWeight = 0;
    let saidWeight = 0;
    for (const word of title) {
      const weight = bm25.idf(word) || 1;
      titleWeight += weight;
      if (said.has(word)) saidWeight += weight;
    }
    const titleCoverage = namedByAlias ? 1 : titleWeight > 0 ? saidWeight / titleWeight : 0;
    // The margin over the best candidate of another matter: an FAQ and its own guide are not rivals.
    const family = familyOf(top.entryId);
    const rival = fused.find((c) => familyOf(c.entryId) !== family && isRival(c))?.score ?? 0;
    return {
      top: Math.min(1, top.score),
      margin: top.score > 0 ? (top.score - second) / top.score : 0,
      agreement: stageAgreement(top, stages),
      coverage: coverage(query, top.entryId),
      lexical,
      dense: Math.max(0, Math.min(1, top.stages.dense?.score ?? 0)),
      titleCoverage,
      familyMargin: top.score > 0 ? Math.max(0, (top.score - rival) / top.score) : 0,
      facetFit: entry ? facetFit.fit(entry, query.facet.facet) : 0,
    };
  };

  const search = async (text: string, options: SearchOptions = {}): Promise<RetrievalResult> => {
    const timings: Record<string, number> = {};
    let t = performance.now();
    const lap = (name: string): void => {
      const now = performance.now();
      timings[name] = now - t;
      t = now;
    };
    await refresh();
    lap('sync');
    const query = analyze(text);
    lap('analyze');
    const k = options.k ?? settings.k;
    const stages = (options.stages ?? built).filter((s) => built.includes(s));
    // Each stage looks deeper than k so fusion can lift an entry that one stage ranks lower.
    const depth = Math.max(k * 3, 30);
    const inputs: Parameters<typeof fuse>[0] = {};
    let prepared: PreparedQuery | null = null;
    if (query.tokens.length > 0 || query.text) {
      if (stages.includes('bm25')) {
        prepared = bm25.prepare(query);
        const reference = prepared.reference;
        // Saturating rather than clipped: a score past the reference must still outrank a lower one.
        inputs.bm25 = { hits: bm25.run(prepared, depth), normalize: (s) => (reference > 0 ? 1 - Math.exp((-1.5 * s) / reference) : 0) };
        lap('bm25');
      }
      if (stages.includes('dense') && dense) {
        inputs.dense = { hits: await dense.search(query, depth), normalize: (s) => s };
        lap('dense');
      }
    }
    const entryOf = (id: string): Entry | undefined => cache.get(id);
    let fused = fuse(inputs, fusion);
    fused = exclusiveFit.rerank(fused, query, entryOf);
    fused = operationFit.rerank(fused, query, entryOf);
    fused = facetFit.rerank(fused, query.facet.facet, entryOf);
    const features = featuresOf(query, fused, stages, prepared);
    // A phrasing staff wrote down for exactly one entry is that entry's question: no doubt left.
    const exact = fused[0] !== undefined && saysExactly(query, cache.get(fused[0].entryId))
      && !fused.slice(1, 5).some((c) => saysExactly(query, cache.get(c.entryId)));
    const confidence = fused.length === 0 ? 0 : exact ? Math.max(ExactPhrasingConfidence, confidenceOf(features, calibration)) : confidenceOf(features, calibration);
    lap('fusion');
    const candidates = fused.slice(0, k).map((c) => ({
      entryId: c.entryId,
      title: cache.has(c.entryId) ? entryTitle(cache.get(c.entryId)!) : c.entryId,
      score: c.score,
      stages: c.stages,
    }));
    return { query, candidates, confidence, features, timings };
  };

  return {
    search,
    analyze,
    entry: (id) => cache.get(id) ?? null,
    variantGroup: (id, among) => variants.group(id, among),
    matters: () => [...cache.values()].filter((e): e is Matter => e.kind === 'matter'),
    restates: (query, entryId) => {
      const names = bm25.titleText(entryId);
      return names !== null && query.tokens.length > 0
        && query.tokens.every((token) => analyzer.expand([token]).some((form) => names.includes(form)));
    },
    size: () => cache.size,
    info: () => ({ revision, dense: dense?.info ?? null }),
    refresh,
    close: async () => {
      await syncing;
      await dense?.persist();
    },
  };
}
