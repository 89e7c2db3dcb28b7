// The shipped calibration (./calibration.json, written by scripts/calibrate.ts):
// it loads, its numbers are usable, and on a tiny knowledge base its confidence
// orders an exact name above a paraphrase above an out-of-domain question.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.ts';
import { memorySource } from './bench.ts';
import {
  CalibratedThresholds, CalibrationFileVersion, ConfidenceFeatureNames, DefaultCalibration, readCalibrationFile,
} from './calibration.ts';
import { createRetriever, type Retriever } from './retriever.ts';
import { corpus } from './testing.ts';

const shippedText = readFileSync(new URL('./calibration.json', import.meta.url), 'utf8');

describe('the shipped calibration file', () => {
  it('is what DefaultCalibration and CalibratedThresholds hold', () => {
    const file = readCalibrationFile(JSON.parse(shippedText), 'calibration.json');
    expect(DefaultCalibration).toEqual(file.calibration);
    expect(CalibratedThresholds).toEqual(file.thresholds);
  });

  it('has a finite bias and a finite, non-negative weight for every feature', () => {
    expect(Number.isFinite(DefaultCalibration.bias)).toBe(true);
    for (const name of ConfidenceFeatureNames) {
      // Never negative: more evidence for the top entry must never lower the confidence
      // (a feature made redundant by others may get weight 0).
      expect(DefaultCalibration.weights[name], name).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(DefaultCalibration.weights[name]), name).toBe(true);
    }
  });

  it('has thresholds in order: fall back below, ask between, answer above', () => {
    expect(CalibratedThresholds.fallback).toBeGreaterThanOrEqual(0);
    expect(CalibratedThresholds.fallback).toBeLessThan(CalibratedThresholds.answer);
    expect(CalibratedThresholds.answer).toBeLessThanOrEqual(1);
  });
});

describe('readCalibrationFile', () => {
  const valid = (): Record<string, unknown> => JSON.parse(shippedText) as Record<string, unknown>;

  it('refuses another version, a missing or non-numeric weight, and thresholds out of order', () => {
    expect(() => readCalibrationFile({ ...valid(), version: CalibrationFileVersion + 1 }, 'f')).toThrow(/version/);
    const { dense: _dropped, ...withoutDense } = valid().weights as Record<string, number>;
    expect(() => readCalibrationFile({ ...valid(), weights: withoutDense }, 'f')).toThrow(/weights\.dense/);
    expect(() => readCalibrationFile({ ...valid(), weights: { ...withoutDense, dense: '1.5' } }, 'f')).toThrow(/weights\.dense/);
    expect(() => readCalibrationFile({ ...valid(), bias: null }, 'f')).toThrow(/bias/);
    expect(() => readCalibrationFile({ ...valid(), thresholds: { answer: 0.3, fallback: 0.5 } }, 'f')).toThrow(/thresholds/);
    expect(() => readCalibrationFile([], 'f')).toThrow();
  });

  it('keeps only what confidence needs', () => {
    const { calibration, thresholds } = readCalibrationFile(valid(), 'f');
    expect(Object.keys(calibration.weights).sort()).toEqual([...ConfidenceFeatureNames].sort());
    expect(Object.keys(thresholds).sort()).toEqual(['answer', 'fallback']);
  });
});

describe('confidence under the shipped calibration', () => {
  let retriever: Retriever;
  beforeAll(async () => {
    retriever = await createRetriever({}, { store: memorySource(corpus()), analyzer: createAnalyzer() });
  });

  const confidence = async (text: string, expected: string | null): Promise<number> => {
    const result = await retriever.search(text);
    // A paraphrase only says something about calibration when it found the right entry.
    if (expected) expect(result.candidates[0]?.entryId, text).toBe(expected);
    return result.confidence;
  };

  it('ranks an exact name above a paraphrase of it above an out-of-domain question', async () => {
    const exact = [
      await confidence('居民身份证补领', 'id-lost'), // the matter's name as written
      await confidence('机动车驾驶证补领', 'driver-lost'),
      await confidence('普通护照签发', 'passport'),
    ];
    const paraphrase = [
      await confidence('身份证丢了要补办', 'id-lost'), // 丢了 and 补办 for 补领: only 身份证 is in the name
      await confidence('驾驶证丢了补办', 'driver-lost'), // 机动车 and 补领 missing
    ];
    const outOfDomain = [
      await confidence('股票明天会涨吗', null), // shares no word with any entry; only the vectors find something
      await confidence('帮我订一张机票', null),
      await confidence('红烧肉怎么做', null), // finds nothing at all
    ];
    expect(Math.min(...exact)).toBeGreaterThan(Math.max(...paraphrase));
    expect(Math.min(...paraphrase)).toBeGreaterThan(Math.max(...outOfDomain));
  });
});
