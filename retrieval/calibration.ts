// Confidence: a logistic function of a few features of the ranked result. The
// coefficients live in this one table so they can be refitted on evaluation data
// (`fitCalibration`) without touching the code that computes the features.

export const ConfidenceFeatureNames = ['top', 'margin', 'agreement', 'coverage', 'lexical', 'dense'] as const;
export type ConfidenceFeatureName = (typeof ConfidenceFeatureNames)[number];

/** Every feature lies in 0..1. */
export type ConfidenceFeatures = Record<ConfidenceFeatureName, number>;

export interface Calibration {
  bias: number;
  weights: ConfidenceFeatures;
}

/**
 * Hand-set starting point, to be replaced by a fit on the accuracy suite:
 * - top: the fused score of the best entry, on the fusion's own 0..1 scale;
 * - margin: how far ahead of the runner-up it is (near-duplicates keep it low, which should ask);
 * - agreement: whether the stages put the same entry first;
 * - coverage: the share (idf-weighted) of the query's words found in the entry's names;
 * - lexical: BM25 score against what a full name match would score;
 * - dense: cosine similarity of the best vector.
 */
export const DefaultCalibration: Readonly<Calibration> = Object.freeze({
  bias: -7,
  weights: Object.freeze({ top: 1.5, margin: 1.5, agreement: 1.5, coverage: 3, lexical: 2, dense: 3.5 }),
});

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

/** Logistic regression by full-batch gradient descent: small data, no dependencies, deterministic. */
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
    for (let i = 0; i < w.length; i++) w[i]! -= learningRate * (grad[i]! / n + l2 * w[i]!);
  }
  const weights = Object.fromEntries(ConfidenceFeatureNames.map((name, i) => [name, w[i]!])) as ConfidenceFeatures;
  return { bias, weights };
}
