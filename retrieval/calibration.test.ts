import { describe, expect, it } from 'vitest';
import { confidenceOf, DefaultCalibration, fitCalibration, type CalibrationSample, type ConfidenceFeatures } from './calibration.ts';
import { fuse, stageAgreement } from './fusion.ts';

const features = (x: number, overrides: Partial<ConfidenceFeatures> = {}): ConfidenceFeatures => ({
  top: x, margin: x / 2, agreement: x, coverage: x, lexical: x, dense: 0.3 + x / 2, titleCoverage: x, familyMargin: x / 2, facetFit: 1, ...overrides,
});

describe('confidence', () => {
  it('is a logistic function of the weighted features', () => {
    const calibration = { bias: -3, weights: { top: 1, margin: 1, agreement: 1, coverage: 1, lexical: 1, dense: 1, titleCoverage: 0, familyMargin: 0, facetFit: 0 } };
    expect(confidenceOf(features(0.9), calibration)).toBeGreaterThan(confidenceOf(features(0.5), calibration));
    expect(confidenceOf(features(0.5), calibration)).toBeGreaterThan(confidenceOf(features(0.1), calibration));
    // z = -3 + 6 × 0.5 = 0 for all features at one half: exactly even odds.
    expect(confidenceOf({ top: 0.5, margin: 0.5, agreement: 0.5, coverage: 0.5, lexical: 0.5, dense: 0.5, titleCoverage: 0.5, familyMargin: 0.5, facetFit: 0.5 }, calibration)).toBeCloseTo(0.5);
  });

  it('fitCalibration learns which feature tells right from wrong', () => {
    // Correct exactly when the query's words are covered by the entry's name; the other features are noise.
    const samples: CalibrationSample[] = [];
    for (let i = 0; i < 200; i++) {
      const coverage = (i % 10) / 10;
      const noise = ((i * 7) % 10) / 10;
      samples.push({ features: features(noise, { coverage }), correct: coverage >= 0.5 });
    }
    const fitted = fitCalibration(samples);
    expect(fitted.weights.coverage).toBeGreaterThan(Math.abs(fitted.weights.top) * 2);
    expect(confidenceOf(features(0.2, { coverage: 0.9 }), fitted)).toBeGreaterThan(0.8);
    expect(confidenceOf(features(0.8, { coverage: 0.1 }), fitted)).toBeLessThan(0.2);
  });

  it('returns the defaults when there is nothing to fit', () => {
    expect(fitCalibration([])).toEqual({ bias: DefaultCalibration.bias, weights: DefaultCalibration.weights });
  });
});

describe('fuse', () => {
  const bm25: [string, number][] = [['a', 12], ['b', 9], ['c', 2]];
  const dense: [string, number][] = [['b', 0.9], ['d', 0.8], ['a', 0.5]];

  it('reciprocal rank fusion: agreement between stages beats one stage’s first place', () => {
    const fused = fuse({ bm25: { hits: bm25 }, dense: { hits: dense } }, { method: 'rrf', weights: { bm25: 1, dense: 1 }, rrfK: 60 });
    // 1: b is 2nd and 1st; 2: a is 1st and 3rd; 3: d and c are found by one stage only, d ranked higher there.
    expect(fused.map((c) => c.entryId)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]!.stages).toEqual({ bm25: { rank: 2, score: 9 }, dense: { rank: 1, score: 0.9 } });
    expect(fused[0]!.score).toBeLessThanOrEqual(1);
  });

  it('weighted fusion uses the scores’ given scale, so a weak first place stays weak', () => {
    const fused = fuse(
      { bm25: { hits: bm25, normalize: (s) => s / 20 }, dense: { hits: dense, normalize: (s) => s } },
      { method: 'weighted', weights: { bm25: 0.5, dense: 0.5 }, rrfK: 60 },
    );
    // b: 0.5·0.45 + 0.5·0.9 = 0.675; a: 0.5·0.6 + 0.5·0.5 = 0.55; d: 0.4; c: 0.05.
    expect(fused.map((c) => c.entryId)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(0.675);
  });

  it('measures stage agreement by the entry’s rank in each stage', () => {
    const [b] = fuse({ bm25: { hits: bm25 }, dense: { hits: dense } }, { method: 'rrf', weights: { bm25: 1, dense: 1 }, rrfK: 60 });
    expect(stageAgreement(b!, ['bm25', 'dense'])).toBeCloseTo((1 / 2 + 1) / 2);
  });
});
