// The plain data that retrieval stages hand to each other.
import type { Entry, Facet } from '../knowledge/index.ts';

export type Script = 'simplified' | 'traditional';

export interface NormalizedText {
  /** What the user typed. */
  original: string;
  /** Simplified, half-width, lower-case, punctuation folded to spaces, filler words removed. */
  text: string;
  /** The script the user wrote in, so the reply can use it. */
  script: Script;
}

export interface FacetMatch {
  facet: Facet | null;
  /** The wording that gave the facet away ("要带什么"), or null. */
  cue: string | null;
  /** The text with the facet wording taken out, for the retrieval query. */
  rest: string;
}

/** Text → tokens, shared by indexing and querying so both sides agree. */
export interface Analyzer {
  normalize(text: string): NormalizedText;
  /** Words of normalised text for indexing and search (jieba cutForSearch), stopwords dropped. */
  tokens(text: string): string[];
  /** The tokens plus their synonyms from the domain lexicon. */
  expand(tokens: string[]): string[];
  detectFacet(normalizedText: string): FacetMatch;
  /** Teaches the segmenter words from the knowledge base (matter names, aliases). */
  addWords(words: Iterable<string>): void;
  /** Changes whenever the lexicon files change: vectors made with another version are stale. */
  readonly version: string;
}

/** A scored hit of one stage: [entry id, score], best first. */
export type StageHit = [id: string, score: number];

export interface AnalyzedQuery {
  normalized: NormalizedText;
  facet: FacetMatch;
  /** The retrieval text: normalised, facet words removed. */
  text: string;
  tokens: string[];
}

/** One retrieval stage over the live entries; kept in step incrementally. */
export interface Stage {
  readonly name: string;
  upsert(entries: Entry[]): Promise<void>;
  remove(ids: string[]): void;
  search(query: AnalyzedQuery, k: number): Promise<StageHit[]>;
}

/** A sentence-embedding engine (vercel/ai's embedding model spec, trimmed). */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** Unit-length vectors, one per text. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
