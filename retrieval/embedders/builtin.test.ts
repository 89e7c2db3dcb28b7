import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analyzer.ts';
import { corpus } from '../testing.ts';
import { BuiltinDefaults, embedWithModel, trainBuiltinModel } from './builtin.ts';

const analyzer = createAnalyzer();

/** Cosine of the word parts (the first wordDims components) of two vectors. */
function wordCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < BuiltinDefaults.wordDims; c++) {
    dot += a[c]! * b[c]!;
    na += a[c]! ** 2;
    nb += b[c]! ** 2;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

describe('builtin embedder', () => {
  it('reads a word the knowledge base never uses through its lexicon synonyms', () => {
    const model = trainBuiltinModel(analyzer, corpus());
    // 驾照 is nowhere in the corpus; its lexicon group's 驾驶证 is, in names and conditions.
    expect(model.vocab.has('驾照')).toBe(false);
    const said = embedWithModel(model, analyzer, '驾照');
    const near = wordCosine(said, embedWithModel(model, analyzer, '驾驶证'));
    expect(near).toBeGreaterThan(0.5);
    expect(near).toBeGreaterThan(wordCosine(said, embedWithModel(model, analyzer, '护照')));
    // Without synonyms the word part is empty: only character n-grams were left to match.
    expect(wordCosine(embedWithModel({ ...model, synonymWeight: 0, unseenSynonymWeight: 0 }, analyzer, '驾照'), said)).toBe(0);
  });

  it('lets the synonyms of an unlearned word stand in for it beside the words it did learn', () => {
    const model = trainBuiltinModel(analyzer, corpus());
    const target = embedWithModel(model, analyzer, '驾驶证补领');
    const asked = (m: typeof model): number => wordCosine(embedWithModel(m, analyzer, '驾照补领'), target);
    // 驾照 is unlearned, 补领 learned: at an ordinary synonym's weight 驾驶证 would count for less than 补领.
    expect(asked(model)).toBeGreaterThan(asked({ ...model, unseenSynonymWeight: model.synonymWeight }));
  });
});
