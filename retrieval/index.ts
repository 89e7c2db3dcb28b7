// Retrieval: citizen text → ranked knowledge-base entries with a confidence.
// Analyzer (normalise, segment, expand, facet) → sparse BM25 and dense vector
// stages → fusion → candidates; every stage's output is plain data, so the hit
// test can show it.

// Commonly used
export {
  createRetriever, analyzeQuery, RetrieverDefaults,
  type Retriever, type RetrieverConfig, type RetrieverDeps, type RetrievalResult, type Candidate,
  type SearchOptions, type EngineName, type EntrySource,
} from './retriever.ts';
export { createAnalyzer } from './analyzer.ts';
export { normalize, toTraditional, detectScript, foldTerm } from './normalize.ts';
export { charBigrams } from './segment.ts';
export type {
  Analyzer, AnalyzedQuery, NormalizedText, FacetMatch, Script, Stage, StageHit, Embedder,
} from './types.ts';
export type { VariantGroup, VariantMember } from './variants.ts';
export { RetrievalError, RetrievalErrorCodes, type RetrievalErrorCode } from './errors.ts';

// Confidence calibration, refitted by a script on the accuracy suite
export {
  fitCalibration, confidenceOf, DefaultCalibration, ConfidenceFeatureNames,
  type Calibration, type CalibrationSample, type ConfidenceFeatures, type ConfidenceFeatureName, type FitOptions,
} from './calibration.ts';
export { CalibratedThresholds, HandSetCalibration, readCalibrationFile, type CalibrationThresholds } from './calibration.ts';

// Benchmark and quality probes (`banshi bench`)
export { seededRandom } from './embedders/svd.ts';
export { benchRetrieval, perturbedQuery, syntheticEntries, rankQuality, memorySource, type BenchConfig, type BenchResult, type RankQuality } from './bench.ts';

// Building blocks, for the hit test and for tests of other parts
export { fuse, FusionDefaults, type FusionMethod, type FusionOptions, type FusedCandidate, type StageName, type StageScore } from './fusion.ts';
export { Bm25Index, Bm25Defaults, type Bm25Options } from './bm25.ts';
export { DenseIndex, HnswDefaults, DenseFormatVersion, type HnswOptions, type DenseIndexInfo, type EmbedderSource } from './hnsw-index.ts';
export { BuiltinDefaults, trainBuiltinModel, createBuiltinEmbedder, type BuiltinOptions } from './embedders/builtin.ts';
export { entryFields, FieldWeights } from './entry-fields.ts';
export {
  createTransformersEmbedder, type TransformersEmbedder, type TransformersEmbedderOptions, type Pooling,
} from './embedders/transformers.ts';
