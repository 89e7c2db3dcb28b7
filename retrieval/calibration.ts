// Confidence: a logistic function of a few features of the ranked result. The
// coefficients live in this one table so they can be refitted (`fitCalibration`,
// run by scripts/calibrate.ts into ./calibration.json) without touching the code
// that computes the features.
import { readFileSync } from 'node:fs';

export const ConfidenceFeatureNames = ['top', 'margin', 'agreement', 'coverage', 'lexical', 'dense', 'titleCoverage', 'familyMargin', 'facetFit'] as const;
export type ConfidenceFeatureName = (typeof ConfidenceFeatureNames)[number];

/** Every feature lies in 0..1. */
export type ConfidenceFeatures = Record<ConfidenceFeatureName, number>;

export interface Calibration {
  bias: number;
  weights: ConfidenceFeatures;
}

/**
 * The hand-set coefficients, used only when no fitted ./calibration.json is shipped:
 * - top: the fused score of the best entry, on the fusion's own 0..1 scale;
 * - margin: how far ahead of the runner-up it is (near-duplicates keep it low, which should ask);
 * - agreement: whether the stages put the same entry first;
 * - coverage: the share (idf-weighted) of the query's words found in the entry's names;
 * - lexical: BM25 score against what a full name match would score;
 * - dense: cosine similarity of the best vector;
 * - titleCoverage: the share (idf-weighted) of the entry's own title the citizen said, synonyms counted; 1 when they said one of a matter's aliases in full;
 * - familyMargin: the margin over the best candidate of another matter (an FAQ and its own guide are not rivals);
 * - facetFit: whether the entry fits the facet asked (an FAQ asking another facet does not).
 */
export const HandSetCalibration: Readonly<Calibration> = Object.freeze({
  bias: -7,
  weights: Object.freeze({ top: 1.5, margin: 1.5, agreement: 1.5, coverage: 3, lexical: 2, dense: 3.5, titleCoverage: 0, familyMargin: 0, facetFit: 0 }),
});

/** Where the dialogue answers, asks, or falls back; probabilities of the top entry being right. */
export interface CalibrationThresholds {
  /** At or above: answer the top entry. */
  answer: number;
  /** Below: fall back instead of guessing. */
  fallback: number;
}

/** The version of calibration.json this code reads; bump when a field changes meaning. */
export const CalibrationFileVersion = 1;

export interface CalibrationFile {
  calibration: Calibration;
  thresholds: CalibrationThresholds;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Checks a parsed calibration.json (written by scripts/calibrate.ts) and keeps only
 * what confidence needs; throws naming the first problem. The check figures in the
 * file are for people and are not read.
 */
export function readCalibrationFile(value: unknown, where: string): CalibrationFile {
  const fail = (problem: string): never => {
    throw new Error(`${where}: ${problem} (rerun \`npx tsx scripts/calibrate.ts\`)`);
  };
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const file = value as Record<string, unknown>;
  if (file.version !== CalibrationFileVersion) return fail(`version ${String(file.version)}, expected ${CalibrationFileVersion}`);
  if (!finite(file.bias)) return fail('bias is not a finite number');
  const weights = (typeof file.weights === 'object' && file.weights !== null ? file.weights : {}) as Record<string, unknown>;
  for (const name of ConfidenceFeatureNames) if (!finite(weights[name])) fail(`weights.${name} is not a finite number`);
  const thresholds = (typeof file.thresholds === 'object' && file.thresholds !== null ? file.thresholds : {}) as Record<string, unknown>;
  const { answer, fallback } = thresholds;
  if (!finite(answer) || !finite(fallback) || !(fallback >= 0 && fallback < answer && answer <= 1)) {
    fail('thresholds must satisfy 0 <= fallback < answer <= 1');
  }
  return {
    calibration: {
      bias: file.bias,
      weights: Object.fromEntries(ConfidenceFeatureNames.map((name) => [name, weights[name]])) as ConfidenceFeatures,
    },
    thresholds: { answer: answer as number, fallback: fallback as number },
  };
}

// Read once at module load, as the fitted coefficients are part of the code's
// behaviour; a missing file means the hand-set values, a broken one is an error
// rather than a silent return to uncalibrated confidence.
function loadShipped(): CalibrationFile | null {
  const url = new URL('./calibration.json', import.meta.url);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cause;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${url.pathname}: not valid JSON`, { cause });
  }
  return readCalibrationFile(parsed, url.pathname);
}

const shipped = loadShipped();

/** The fitted coefficients from ./calibration.json, else the hand-set ones. */
export const DefaultCalibration: Readonly<Calibration> = shipped
  ? Object.freeze({ bias: shipped.calibration.bias, weights: Object.freeze({ ...shipped.calibration.weights }) })
  : HandSetCalibration;

/** The thresholds chosen with the fit; without a file, the values the dialogue was hand-set with. */
export const CalibratedThresholds: Readonly<CalibrationThresholds> = Object.freeze(
  shipped ? { ...shipped.thresholds } : { answer: 0.6, fallback: 0.2 },
);

export function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function confidenceOf(features: ConfidenceFeatures, calibration: Calibration = DefaultCalibration): number {
  let z = calibration.bias;
  for (const name of ConfidenceFeatureNames) z += calibration.weights[name] * features[name];
  return logistic(z);
}

export interface CalibrationSample {
  features: ConfidenceFeatures;
  /** Whether the top entry was an expected one. */
  correct: boolean;
}

export interface FitOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty, so a small evaluation set does not drive weights to extremes. */
  l2?: number;
}

/** Non-negative logistic regression by full-batch projected gradient descent: small data, no dependencies, deterministic. */
export function fitCalibration(samples: CalibrationSample[], options: FitOptions = {}): Calibration {
  const { epochs = 3000, learningRate = 0.5, l2 = 1e-3 } = options;
  const w = ConfidenceFeatureNames.map(() => 0);
  let bias = 0;
  const n = samples.length;
  if (n === 0) return { bias: DefaultCalibration.bias, weights: { ...DefaultCalibration.weights } };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = w.map(() => 0);
    let gradBias = 0;
    for (const sample of samples) {
      let z = bias;
      ConfidenceFeatureNames.forEach((name, i) => { z += w[i]! * sample.features[name]; });
      const error = logistic(z) - (sample.correct ? 1 : 0);
      gradBias += error;
      ConfidenceFeatureNames.forEach((name, i) => { grad[i]! += error * sample.features[name]; });
    }
    bias -= (learningRate * gradBias) / n;
    // Projected onto non-negative weights: every feature is evidence for the top entry,
    // so collinear features share the weight instead of one turning negative.
    for (let i = 0; i < w.length; i++) w[i] = Math.max(0, w[i]! - learningRate * (grad[i]! / n + l2 * w[i]!));
  }
  const weights = Object.fromEntries(ConfidenceFeatureNames.map((name, i) => [name, w[i]!])) as ConfidenceFeatures;
  return { bias, weights };
}
