// End-to-end: a tiny generated BERT-layout model goes through the real
// transformers.js tokenizer, ONNX Runtime and our pooling, so CI tests the code
// that runs bge-small-zh in production without downloading it.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import hnswlib from 'hnswlib-node';
import { makeTinyModel, TINY_HIDDEN_SIZE } from '../../scripts/make-tiny-model.ts';
import { RetrievalError } from '../errors.ts';
import { createTransformersEmbedder, normalize, pool, type TransformersEmbedder } from './transformers.ts';

let root: string;
let modelDir: string;
let embedder: TransformersEmbedder;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'banshi-embed-'));
  modelDir = join(root, 'tiny-bert');
  await makeTinyModel(modelDir);
  embedder = await createTransformersEmbedder({ modelDir, batchSize: 8 });
});

afterAll(async () => {
  await embedder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const length = (a: Float32Array) => Math.sqrt(dot(a, a));

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RetrievalError);
  expect(error instanceof RetrievalError && error.code).toBe(code);
}

describe('createTransformersEmbedder on the tiny model', () => {
  it('reads id, dimensions and pooling from the directory', () => {
    expect(embedder.modelId).toBe('banshi/tiny-bert-zh'); // config _name_or_path is a hub id
    expect(embedder.dimensions).toBe(TINY_HIDDEN_SIZE);
    expect(embedder.pooling).toBe('cls'); // from 1_Pooling/config.json
    expect(embedder.quantized).toBe(false);
  });

  it('returns one unit-length Float32Array of the configured size per text', async () => {
    const vectors = await embedder.embed(['如何办理护照', '社保卡丢失了怎么补办', 'hello world', '']);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(TINY_HIDDEN_SIZE);
      expect(length(v)).toBeCloseTo(1, 5);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it('gives identical texts identical vectors', async () => {
    const text = '身份证过期了怎么换领';
    const [a, b] = await embedder.embed([text, text]);
    const [c] = await embedder.embed([text]);
    const [d] = await embedder.embed([text]);
    expect(Array.from(b!)).toEqual(Array.from(a!));
    expect(Array.from(d!)).toEqual(Array.from(c!));
    // A different batch shape changes ONNX Runtime's summation order: equal to rounding only.
    for (let i = 0; i < TINY_HIDDEN_SIZE; i++) expect(c![i]).toBeCloseTo(a![i]!, 6);
  });

  it('embeds 40 texts across batches exactly as it embeds them one by one', async () => {
    // Different lengths force padding inside each batch of 8; the vectors must not depend on it.
    const subjects = ['护照', '身份证', '社保卡', '驾驶证', '营业执照', '户口', '公积金', '医保'];
    const asks = ['怎么办理', '丢失了怎么补办', '需要什么材料', '在哪里申请', '过期了怎么换领'];
    const texts = subjects.flatMap((s) => asks.map((a) => `${s}${a}`));
    expect(texts).toHaveLength(40);
    const batched = await embedder.embed(texts);
    expect(batched).toHaveLength(40);
    for (const i of [0, 7, 8, 23, 39]) {
      const [single] = await embedder.embed([texts[i]!]);
      for (let d = 0; d < TINY_HIDDEN_SIZE; d++) expect(batched[i]![d]).toBeCloseTo(single![d]!, 5);
    }
    expect(new Set(batched.map((v) => v.join(','))).size).toBe(40);
  });

  it('truncates long texts to 512 tokens and keeps the final [SEP]', async () => {
    // The tiny graph depends only on which tokens are present, so 2,000 characters cut to
    // [CLS] + 510 × 办 + [SEP] must equal the text that is exactly that long.
    const [long, exact] = await embedder.embed(['办'.repeat(2000), '办'.repeat(510)]);
    for (let i = 0; i < TINY_HIDDEN_SIZE; i++) expect(long![i]).toBeCloseTo(exact![i]!, 6);
  });

  it('ranks a reworded question above an unrelated sentence', async () => {
    const [query, ...candidates] = await embedder.embed([
      '如何办理护照',
      '今天天气很好', // unrelated: no characters in common
      '护照怎么办理', // the same question reworded: shares 办, 理, 护, 照
      '办理护照需要什么材料', // shares 办理护照 plus extra words
    ]);
    const ranked = candidates
      .map((v, i) => ({ i, score: dot(query!, v) }))
      .sort((x, y) => y.score - x.score)
      .map((x) => x.i);
    // Both passport questions outrank the weather; the unrelated sentence comes last.
    expect(ranked[2]).toBe(0);
    expect(new Set(ranked.slice(0, 2))).toEqual(new Set([1, 2]));
  });

  it('finds the near text first in an hnswlib cosine index', async () => {
    const texts = ['护照怎么办理', '今天天气很好', '社保卡丢失了怎么补办', '营业执照在哪里申请'];
    const vectors = await embedder.embed(texts);
    const index = new hnswlib.HierarchicalNSW('cosine', embedder.dimensions);
    index.initIndex(texts.length);
    vectors.forEach((v, label) => index.addPoint(Array.from(v), label));
    const [query] = await embedder.embed(['如何办理护照']);
    const { neighbors } = index.searchKnn(Array.from(query!), 2);
    expect(neighbors[0]).toBe(0); // the passport question, reworded
  });

  it('keeps transformers.js off the network', async () => {
    expect(env.allowRemoteModels).toBe(false);
    await expect(env.fetch('https://huggingface.co/BAAI/bge-small-zh-v1.5/resolve/main/config.json')).rejects.toThrow(
      /local directories only/,
    );
  });
});

describe('choosing pooling without 1_Pooling/config.json', () => {
  it('uses CLS for bge-style names and mean otherwise', async () => {
    const plain = join(root, 'plain-bert');
    const bge = join(root, 'bge-tiny');
    await cp(modelDir, plain, { recursive: true });
    await rm(join(plain, '1_Pooling'), { recursive: true });
    await cp(plain, bge, { recursive: true });
    // The tiny config names itself banshi/tiny-bert-zh; only the directory name says bge here.
    const mean = await createTransformersEmbedder({ modelDir: plain });
    const cls = await createTransformersEmbedder({ modelDir: bge });
    try {
      expect(mean.pooling).toBe('mean');
      expect(cls.pooling).toBe('cls');
      const [viaMean] = await mean.embed(['如何办理护照']);
      const [viaCls] = await cls.embed(['如何办理护照']);
      const [viaDefault] = await embedder.embed(['如何办理护照']);
      for (let i = 0; i < TINY_HIDDEN_SIZE; i++) expect(viaCls![i]).toBeCloseTo(viaDefault![i]!, 6);
      expect(length(viaMean!)).toBeCloseTo(1, 5);
      expect(Array.from(viaMean!)).not.toEqual(Array.from(viaCls!));
    } finally {
      await mean.dispose();
      await cls.dispose();
    }
  });
});

describe('quantized weights', () => {
  it('loads onnx/model_quantized.onnx when asked, or when it is the only model file', async () => {
    // The tiny graph has no quantized twin; a copy under that name tests the file choice.
    const dir = join(root, 'quantized-only');
    await cp(modelDir, dir, { recursive: true });
    await cp(join(dir, 'onnx', 'model.onnx'), join(dir, 'onnx', 'model_quantized.onnx'));
    const asked = await createTransformersEmbedder({ modelDir: dir, quantized: true });
    await rm(join(dir, 'onnx', 'model.onnx'));
    const chosen = await createTransformersEmbedder({ modelDir: dir });
    try {
      expect(asked.quantized).toBe(true);
      expect(chosen.quantized).toBe(true);
      // Quantized vectors differ from full-precision ones, so an index must tell them apart.
      expect(chosen.modelId).toBe('banshi/tiny-bert-zh:quantized');
      const [v] = await chosen.embed(['如何办理护照']);
      expect(length(v!)).toBeCloseTo(1, 5);
    } finally {
      await asked.dispose();
      await chosen.dispose();
    }
  });
});

describe('pool', () => {
  // Two positions of width 2, the second masked out as padding.
  const states = new Float32Array([1, 4, 3, -2, 100, 100]);
  const mask = new BigInt64Array([1n, 1n, 0n]);
  it('skips masked positions', () => {
    expect(Array.from(pool('cls', states, mask, 0, 3, 2))).toEqual([1, 4]);
    expect(Array.from(pool('mean', states, mask, 0, 3, 2))).toEqual([2, 1]);
    expect(Array.from(pool('max', states, mask, 0, 3, 2))).toEqual([3, 4]);
  });
  it('normalises without producing NaN for a zero vector', () => {
    expect(Array.from(normalize(new Float32Array([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(Array.from(normalize(new Float32Array([0, 0])))).toEqual([0, 0]);
  });
});

describe('coded errors', () => {
  it('reports a missing directory', async () => {
    await expectCode(createTransformersEmbedder({ modelDir: join(root, 'no-such-model') }), 'EMBED_MODEL_MISSING');
  });

  it('reports a directory without the ONNX file, or without the quantized one when asked for it', async () => {
    const broken = join(root, 'broken');
    await cp(modelDir, broken, { recursive: true });
    await expectCode(createTransformersEmbedder({ modelDir: broken, quantized: true }), 'EMBED_MODEL_INCOMPLETE');
    await rm(join(broken, 'onnx'), { recursive: true });
    await rm(join(broken, 'tokenizer.json'));
    const error: unknown = await createTransformersEmbedder({ modelDir: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetrievalError);
    expect(error instanceof RetrievalError && error.message).toMatch(/tokenizer\.json.*onnx\/model\.onnx/);
  });

  it('reports an ONNX file that does not parse', async () => {
    const corrupt = join(root, 'corrupt');
    await cp(modelDir, corrupt, { recursive: true });
    await writeFile(join(corrupt, 'onnx', 'model.onnx'), 'not a protobuf');
    await expectCode(createTransformersEmbedder({ modelDir: corrupt }), 'EMBED_MODEL_LOAD_FAILED');
  });

  it('rejects a nonsensical batch size', async () => {
    await expect(createTransformersEmbedder({ modelDir, batchSize: 0 })).rejects.toThrow(RangeError);
  });
});
