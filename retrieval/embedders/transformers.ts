// A sentence-embedding engine running a local BERT-family ONNX model through
// transformers.js (tokenizer + ONNX Runtime for Node). Models are only ever read
// from the directory given: the operator fetches them once with
// `npm run model:download`, and nothing here touches the network.
//
// Pooling, in order of precedence:
//   1. sentence-transformers' `1_Pooling/config.json` when the directory has one
//      (bge ships it with pooling_mode_cls_token: true);
//   2. otherwise CLS pooling for bge-style models (the id or directory names "bge"),
//      because BAAI trained them that way;
//   3. otherwise masked mean pooling, the sentence-transformers default.
// Vectors are always L2-normalised: the Embedder contract promises unit length,
// and bge is meant to be compared by cosine anyway.
import { stat, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AutoModel, AutoTokenizer, Tensor, env, LogLevel } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { Embedder } from '../types.ts';
import { RetrievalError } from '../errors.ts';

export type Pooling = 'cls' | 'mean' | 'max';

export interface TransformersEmbedderOptions {
  /** A directory laid out like BAAI/bge-small-zh-v1.5 on the Hugging Face hub. */
  modelDir: string;
  /** Texts per forward pass; bounds memory (batch × longest text × hidden size). */
  batchSize?: number;
  /**
   * true: onnx/model_quantized.onnx; false: onnx/model.onnx; omitted: model.onnx
   * when present, else the quantized file.
   */
  quantized?: boolean;
}

export interface TransformersEmbedder extends Embedder {
  readonly pooling: Pooling;
  readonly quantized: boolean;
  /** Releases the ONNX Runtime session. */
  dispose(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 32;
const DEFAULT_MAX_POSITIONS = 512;
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
const MODEL_FILE = 'onnx/model.onnx';
const QUANTIZED_MODEL_FILE = 'onnx/model_quantized.onnx';
const POOLING_FILE = '1_Pooling/config.json';
// A hub id such as "BAAI/bge-small-zh-v1.5"; configs saved from a local checkout
// carry a filesystem path in _name_or_path instead, which makes a poor id.
const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

/**
 * Loads tokenizer and ONNX model from `modelDir`. `modelId` is config.json's
 * `_name_or_path` when that is a hub id, else the directory name, with
 * ":quantized" appended for the quantized weights; `dimensions` is `hidden_size`.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  // An absolute path is never mistaken for a hub id, so transformers.js reads it as is.
  const dir = resolve(options.modelDir);
  const files = await inspectModelDir(dir, options.quantized);
  const config = await readJson(dir, 'config.json');
  const dimensions = config.hidden_size;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new RetrievalError('EMBED_MODEL_INVALID', [dir, 'config.json has no positive integer hidden_size']);
  }
  const maxLength = positiveInteger(config.max_position_embeddings) ?? DEFAULT_MAX_POSITIONS;
  const nameOrPath = typeof config._name_or_path === 'string' ? config._name_or_path : '';
  const baseId = HUB_ID.test(nameOrPath) ? nameOrPath : basename(dir);
  // Quantized weights give slightly different vectors; an index built with one
  // must not be searched with the other, so the id tells them apart.
  const modelId = files.quantized ? `${baseId}:quantized` : baseId;
  const pooling = files.poolingConfig
    ? poolingFromConfig(dir, files.poolingConfig)
    : /bge/i.test(`${nameOrPath} ${basename(dir)}`)
      ? 'cls'
      : 'mean';

  keepTransformersOffline(dir);
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    model = await AutoModel.from_pretrained(dir, {
      local_files_only: true,
      device: 'cpu',
      dtype: files.quantized ? 'q8' : 'fp32',
    });
  } catch (cause) {
    throw new RetrievalError('EMBED_MODEL_LOAD_FAILED', [dir], { cause });
  }

  // transformers.js truncates after adding special tokens, cutting off the final
  // [SEP] that Python's tokenizers keep; put it back where the model expects it.
  const separatorId = endsWithSeparator(tokenizer) ? tokenizer.sep_token_id : null;

  async function embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: maxLength });
    if (separatorId !== null) restoreFinalSeparator(inputs.input_ids, inputs.attention_mask, separatorId, maxLength);
    let output: unknown;
    try {
      output = await model.forward(inputs);
    } catch (cause) {
      throw new RetrievalError('EMBED_FAILED', [modelId, texts.length], { cause });
    }
    const hidden = lastHiddenState(output, dir);
    const [batch, seq, width] = hidden.dims;
    if (batch !== texts.length || seq === undefined || width !== dimensions) {
      throw new RetrievalError('EMBED_MODEL_INVALID', [
        dir,
        `output shape [${hidden.dims.join(', ')}] does not match ${texts.length} texts × hidden_size ${dimensions}`,
      ]);
    }
    const states = hidden.data;
    const mask = inputs.attention_mask.data;
    if (!(states instanceof Float32Array) || !(mask instanceof BigInt64Array)) {
      throw new RetrievalError('EMBED_MODEL_INVALID', [dir, 'expected float32 hidden states and an int64 attention mask']);
    }
    return texts.map((_, row) => normalize(pool(pooling, states, mask, row, seq, width)));
  }

  return {
    modelId,
    dimensions,
    pooling,
    quantized: files.quantized,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
    async dispose(): Promise<void> {
      await model.dispose();
    },
  };
}

/**
 * transformers.js defaults to fetching from huggingface.co and caching into
 * node_modules/.cache. These settings are process-wide; every Banshi engine wants
 * the same, so setting them on each load is harmless.
 */
function keepTransformersOffline(dir: string): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  // Only consulted for hub-style ids; we pass absolute paths, but keep it pointing
  // at our models rather than inside node_modules.
  env.localModelPath = dirname(dir);
  env.useFSCache = false;
  env.useBrowserCache = false;
  // Belt and braces: should a future version look something up remotely despite
  // the flags, fail loudly instead of reaching out.
  env.fetch = refuseNetwork;
  // Its default WARNING level prints through console; our errors carry the cause.
  env.logLevel = LogLevel.ERROR;
}

async function refuseNetwork(input: string | URL): Promise<never> {
  throw new Error(`transformers.js tried to fetch ${String(input)}; Banshi loads models from local directories only`);
}

interface ModelFiles {
  quantized: boolean;
  poolingConfig: Record<string, unknown> | null;
}

async function inspectModelDir(dir: string, quantized: boolean | undefined): Promise<ModelFiles> {
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new RetrievalError('EMBED_MODEL_MISSING', [dir]);

  const exists = async (file: string) => (await stat(join(dir, file)).catch(() => null))?.isFile() ?? false;
  const missing: string[] = [];
  for (const file of REQUIRED_FILES) if (!(await exists(file))) missing.push(file);

  let useQuantized: boolean;
  if (quantized === undefined) {
    useQuantized = !(await exists(MODEL_FILE)) && (await exists(QUANTIZED_MODEL_FILE));
    if (!useQuantized && !(await exists(MODEL_FILE))) missing.push(`${MODEL_FILE} (or ${QUANTIZED_MODEL_FILE})`);
  } else {
    useQuantized = quantized;
    const wanted = quantized ? QUANTIZED_MODEL_FILE : MODEL_FILE;
    if (!(await exists(wanted))) missing.push(wanted);
  }
  if (missing.length > 0) {
    throw new RetrievalError('EMBED_MODEL_INCOMPLETE', [dir, missing.join(', ')], { details: { missing } });
  }
  const poolingConfig = (await exists(POOLING_FILE)) ? await readJson(dir, POOLING_FILE) : null;
  return { quantized: useQuantized, poolingConfig };
}

async function readJson(dir: string, file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch (cause) {
    throw new RetrievalError('EMBED_MODEL_INVALID', [dir, `${file} is not readable JSON`], { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RetrievalError('EMBED_MODEL_INVALID', [dir, `${file} is not a JSON object`]);
  }
  return parsed as Record<string, unknown>;
}

/** Reads sentence-transformers' pooling modes; only one may be on, as we don't concatenate. */
function poolingFromConfig(dir: string, config: Record<string, unknown>): Pooling {
  const modes = Object.entries(config)
    .filter(([key, on]) => key.startsWith('pooling_mode_') && on === true)
    .map(([key]) => key.slice('pooling_mode_'.length));
  const [mode] = modes;
  if (modes.length === 1) {
    if (mode === 'cls_token') return 'cls';
    if (mode === 'mean_tokens') return 'mean';
    // mean / √length differs from mean only in scale, which normalisation removes.
    if (mode === 'mean_sqrt_len_tokens') return 'mean';
    if (mode === 'max_tokens') return 'max';
  }
  throw new RetrievalError('EMBED_POOLING_UNSUPPORTED', [dir, modes.length > 0 ? modes.join(' + ') : '(none)']);
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function endsWithSeparator(tokenizer: PreTrainedTokenizer): boolean {
  const sep = tokenizer.sep_token_id;
  if (typeof sep !== 'number') return false;
  const ids = tokenizer('a').input_ids.data;
  return ids.length > 0 && Number(ids[ids.length - 1]) === sep;
}

/** Rows cut at `maxLength` end in a content token; make the last one the separator again. */
export function restoreFinalSeparator(inputIds: Tensor, attentionMask: Tensor, separatorId: number, maxLength: number): void {
  const [rows, seq] = inputIds.dims;
  const ids = inputIds.data;
  const mask = attentionMask.data;
  if (seq !== maxLength || rows === undefined || !(ids instanceof BigInt64Array) || !(mask instanceof BigInt64Array)) return;
  const sep = BigInt(separatorId);
  for (let row = 0; row < rows; row++) {
    const last = row * seq + seq - 1;
    // Only a row that fills every position can have been truncated.
    if (mask[last] === 1n) ids[last] = sep;
  }
}

function lastHiddenState(output: unknown, dir: string): Tensor {
  if (typeof output === 'object' && output !== null && 'last_hidden_state' in output) {
    const hidden = output.last_hidden_state;
    if (hidden instanceof Tensor && hidden.dims.length === 3) return hidden;
  }
  throw new RetrievalError('EMBED_MODEL_INVALID', [dir, 'the ONNX model has no 3-D last_hidden_state output']);
}

/** One row of `[batch, seq, width]` hidden states, pooled over the positions the mask keeps. */
export function pool(
  pooling: Pooling,
  states: Float32Array,
  mask: BigInt64Array,
  row: number,
  seq: number,
  width: number,
): Float32Array {
  const rowStart = row * seq * width;
  if (pooling === 'cls') return states.slice(rowStart, rowStart + width);

  const out = new Float32Array(width).fill(pooling === 'max' ? -Infinity : 0);
  let kept = 0;
  for (let pos = 0; pos < seq; pos++) {
    if (mask[row * seq + pos] === 0n) continue;
    kept++;
    const offset = rowStart + pos * width;
    for (let d = 0; d < width; d++) {
      const v = states[offset + d];
      if (pooling === 'max') {
        if (v > out[d]) out[d] = v;
      } else {
        out[d] += v;
      }
    }
  }
  if (kept === 0) return out.fill(0);
  if (pooling === 'mean') for (let d = 0; d < width; d++) out[d] /= kept;
  return out;
}

/** L2-normalises in place; a zero vector stays zero rather than becoming NaN. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}
