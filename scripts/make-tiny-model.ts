// Writes a tiny BERT-layout model directory (about 100 KB) with the file layout of
// BAAI/bge-small-zh-v1.5, so tests exercise the real loading, tokenising, ONNX
// inference and pooling code without network access or a 100 MB download.
//
//   npx tsx scripts/make-tiny-model.ts OUTDIR
//
// The graph is not a transformer; it only has to behave like a sentence encoder:
//   emb       = word_emb[input_ids] + type_emb[token_type_ids]
//   sentence  = masked mean of emb over the sequence             [batch, 1, hidden]
//   context   = tanh(sentence · W + b)
//   output    = context + 0.25 · emb                             [batch, seq, hidden]
// Every position carries the sentence context, so CLS pooling (position 0) and
// mean pooling both see the whole text, and texts sharing most characters get
// close vectors. Weights come from a seeded generator: the output is byte-identical
// on every run.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';

export const TINY_HIDDEN_SIZE = 32;
const MAX_POSITIONS = 512;
const SEED = 20240611;
const RESIDUAL_SCALE = 0.25;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

// Common characters plus the government-service vocabulary the tests and demos use.
// Duplicates are harmless: the vocabulary keeps the first occurrence.
const CHINESE_CHARS =
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知' +
  '使工长现部机力理加月实正新动业本电开体把高情已全点问很最重想期物明通实些外务并社各间气向程由东因系样其道相比门美位内新表做级结市提教合关利办记手正度量解区基性话接给件资收完信调入身处建放应头路林意写管住特带边费报者' +
  '证照户口社保医疗养老公积金驾驶营业执税务登记申请材料窗口网上预约查询补换领取丢失损坏过期续签迁移落户出生结婚离婚护港澳台通行签注居民卡号码' +
  '怎么如何哪里什么需要多久时候可以吗呢吧啊请问帮忙谢您好是否能够还有没有手续流程条件费用标准地址电话工作日周末上午下午几点' +
  '今明昨年月日天气晴雨雪风冷热温度早晚饭菜茶水咖啡米面肉鱼鸡蛋苹果香蕉喜欢吃喝看书电影音乐运动跑步游泳足球篮球猫狗花草树山海河湖城乡村街道' +
  '父母儿女孩子老师学生朋友同事医生警察司机车站机场火车飞机汽车地铁公交自行船票钱元块角分买卖店商场超市银行邮局学校医院政府法院派出所' +
  '一二三四五六七八九十百千万零第个些每各全半双单少更非常太真假对错新旧大小长短高低快慢远近左右东西南北中内外前后里边';

const ASCII_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = '.,?!:;()-/，。？！、：；（）“”《》';

/** The vocabulary in id order: special tokens, ASCII, continuation pieces, punctuation, Chinese. */
export function tinyVocabulary(): string[] {
  const tokens = new Set<string>(SPECIAL_TOKENS);
  for (const c of ASCII_CHARS) tokens.add(c);
  // "##x" pieces let WordPiece spell any lower-case ASCII word one character at a time.
  for (const c of ASCII_CHARS) tokens.add(`##${c}`);
  for (const c of PUNCTUATION) tokens.add(c);
  for (const c of CHINESE_CHARS) tokens.add(c);
  return [...tokens];
}

// --- deterministic weights -------------------------------------------------------

/** mulberry32: small, fast and good enough for test weights. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianMatrix(random: () => number, count: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    // Box–Muller; 1 - u keeps the logarithm finite.
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const theta = 2 * Math.PI * random();
    out[i] = r * Math.cos(theta) * scale;
    if (i + 1 < count) out[i + 1] = r * Math.sin(theta) * scale;
  }
  return out;
}

// --- the subset of onnx.proto we write -------------------------------------------
// Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
// Nested messages (TypeProto.Tensor, TensorShapeProto.Dimension) are declared at
// top level under their own names: only field numbers reach the wire.

const TENSOR_FLOAT = 1;
const TENSOR_INT64 = 7;
const ATTRIBUTE_INT = 2;

function onnxRoot(): protobuf.Root {
  const { Root, Type, Field } = protobuf;
  const type = (name: string, fields: [name: string, id: number, type: string, rule?: 'repeated'][]) => {
    const t = new Type(name);
    for (const [fieldName, id, fieldType, rule] of fields) t.add(new Field(fieldName, id, fieldType, rule));
    return t;
  };
  // add() is typed to return a Namespace, so keep our own handle on the Root.
  const root = new Root();
  root
    .add(type('OperatorSetIdProto', [['domain', 1, 'string'], ['version', 2, 'int64']]))
    .add(
      type('TensorProto', [
        ['dims', 1, 'int64', 'repeated'],
        ['data_type', 2, 'int32'],
        ['float_data', 4, 'float', 'repeated'],
        ['int64_data', 7, 'int64', 'repeated'],
        ['name', 8, 'string'],
        ['raw_data', 9, 'bytes'],
      ]),
    )
    .add(
      type('AttributeProto', [
        ['name', 1, 'string'],
        ['f', 2, 'float'],
        ['i', 3, 'int64'],
        ['s', 4, 'bytes'],
        ['t', 5, 'TensorProto'],
        ['floats', 7, 'float', 'repeated'],
        ['ints', 8, 'int64', 'repeated'],
        ['type', 20, 'int32'],
      ]),
    )
    .add(
      type('NodeProto', [
        ['input', 1, 'string', 'repeated'],
        ['output', 2, 'string', 'repeated'],
        ['name', 3, 'string'],
        ['op_type', 4, 'string'],
        ['attribute', 5, 'AttributeProto', 'repeated'],
        ['domain', 7, 'string'],
      ]),
    )
    .add(type('TensorShapeDimension', [['dim_value', 1, 'int64'], ['dim_param', 2, 'string']]))
    .add(type('TensorShapeProto', [['dim', 1, 'TensorShapeDimension', 'repeated']]))
    .add(type('TypeProtoTensor', [['elem_type', 1, 'int32'], ['shape', 2, 'TensorShapeProto']]))
    .add(type('TypeProto', [['tensor_type', 1, 'TypeProtoTensor']]))
    .add(type('ValueInfoProto', [['name', 1, 'string'], ['type', 2, 'TypeProto']]))
    .add(
      type('GraphProto', [
        ['node', 1, 'NodeProto', 'repeated'],
        ['name', 2, 'string'],
        ['initializer', 5, 'TensorProto', 'repeated'],
        ['input', 11, 'ValueInfoProto', 'repeated'],
        ['output', 12, 'ValueInfoProto', 'repeated'],
      ]),
    )
    .add(
      type('ModelProto', [
        ['ir_version', 1, 'int64'],
        ['producer_name', 2, 'string'],
        ['producer_version', 3, 'string'],
        ['model_version', 5, 'int64'],
        ['doc_string', 6, 'string'],
        ['graph', 7, 'GraphProto'],
        ['opset_import', 8, 'OperatorSetIdProto', 'repeated'],
      ]),
    );
  return root;
}

interface TensorInit {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

function floatTensor(name: string, dims: number[], values: Float32Array): TensorInit {
  // raw_data is little-endian; copy through a DataView so host endianness never matters.
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, data_type: TENSOR_FLOAT, raw_data: bytes };
}

function int64Tensor(name: string, values: number[]): TensorInit {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims: [values.length], data_type: TENSOR_INT64, raw_data: bytes };
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
      },
    },
  };
}

function node(opType: string, inputs: string[], outputs: string[], attributes: object[] = []) {
  return { op_type: opType, name: outputs[0], input: inputs, output: outputs, attribute: attributes };
}

/** The serialized ONNX model for a vocabulary of `vocabSize` tokens. */
export function tinyOnnxModel(vocabSize: number, hidden = TINY_HIDDEN_SIZE): Uint8Array {
  const random = seededRandom(SEED);
  const wordEmbeddings = gaussianMatrix(random, vocabSize * hidden, 1);
  wordEmbeddings.fill(0, 0, hidden); // [PAD] contributes nothing, as in BERT.
  const typeEmbeddings = gaussianMatrix(random, 2 * hidden, 0.1);
  // Scaled so the masked mean (per-dimension spread ≈ 1/√tokens) lands in tanh's
  // responsive range rather than its flat tails.
  const denseWeight = gaussianMatrix(random, hidden * hidden, 3 / Math.sqrt(hidden));
  const denseBias = gaussianMatrix(random, hidden, 0.1);

  const batchSeq = ['batch_size', 'sequence_length'];
  const graph = {
    name: 'tiny_bert',
    input: [
      valueInfo('input_ids', TENSOR_INT64, batchSeq),
      valueInfo('attention_mask', TENSOR_INT64, batchSeq),
      valueInfo('token_type_ids', TENSOR_INT64, batchSeq),
    ],
    output: [valueInfo('last_hidden_state', TENSOR_FLOAT, [...batchSeq, hidden])],
    initializer: [
      floatTensor('word_embeddings', [vocabSize, hidden], wordEmbeddings),
      floatTensor('token_type_embeddings', [2, hidden], typeEmbeddings),
      floatTensor('dense_weight', [hidden, hidden], denseWeight),
      floatTensor('dense_bias', [hidden], denseBias),
      floatTensor('one', [], new Float32Array([1])),
      floatTensor('residual_scale', [], new Float32Array([RESIDUAL_SCALE])),
      int64Tensor('axis_seq', [1]),
      int64Tensor('axis_last', [2]),
    ],
    node: [
      node('Gather', ['word_embeddings', 'input_ids'], ['word']),
      node('Gather', ['token_type_embeddings', 'token_type_ids'], ['type']),
      node('Add', ['word', 'type'], ['emb']),
      node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: ATTRIBUTE_INT, i: TENSOR_FLOAT }]),
      node('Unsqueeze', ['mask_float', 'axis_last'], ['mask']),
      node('Mul', ['emb', 'mask'], ['masked']),
      node('ReduceSum', ['masked', 'axis_seq'], ['summed'], [{ name: 'keepdims', type: ATTRIBUTE_INT, i: 1 }]),
      node('ReduceSum', ['mask', 'axis_seq'], ['count'], [{ name: 'keepdims', type: ATTRIBUTE_INT, i: 1 }]),
      // An all-padding row would divide by zero.
      node('Max', ['count', 'one'], ['count_safe']),
      node('Div', ['summed', 'count_safe'], ['sentence']),
      node('MatMul', ['sentence', 'dense_weight'], ['projected']),
      node('Add', ['projected', 'dense_bias'], ['biased']),
      node('Tanh', ['biased'], ['context']),
      node('Mul', ['emb', 'residual_scale'], ['residual']),
      node('Add', ['context', 'residual'], ['last_hidden_state']),
    ],
  };

  const ModelProto = onnxRoot().lookupType('ModelProto');
  const model = ModelProto.fromObject({
    ir_version: 8,
    producer_name: 'banshi-make-tiny-model',
    producer_version: '1',
    model_version: 1,
    doc_string: 'Tiny deterministic BERT-layout encoder for tests; not a language model.',
    opset_import: [{ domain: '', version: 17 }],
    graph,
  });
  return ModelProto.encode(model).finish();
}

// --- tokenizer and configs ---------------------------------------------------------

function tokenizerJson(vocab: string[]) {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  const idOf = (token: string): number => {
    const id = ids[token];
    if (id === undefined) throw new Error(`token ${token} is not in the vocabulary`);
    return id;
  };
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    // handle_chinese_chars puts spaces around every CJK character, so each becomes its own word.
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [
        special('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [idOf(token)], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  do_basic_tokenize: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  never_split: null,
  clean_up_tokenization_spaces: true,
  model_max_length: MAX_POSITIONS,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
};

function modelConfig(vocabSize: number) {
  return {
    _name_or_path: 'banshi/tiny-bert-zh',
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: TINY_HIDDEN_SIZE,
    intermediate_size: TINY_HIDDEN_SIZE * 4,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    max_position_embeddings: MAX_POSITIONS,
    type_vocab_size: 2,
    vocab_size: vocabSize,
    pad_token_id: 0,
    hidden_act: 'gelu',
    layer_norm_eps: 1e-12,
    torch_dtype: 'float32',
  };
}

// The sentence-transformers pooling file, written the way bge ships it: CLS pooling.
const POOLING_CONFIG = {
  word_embedding_dimension: TINY_HIDDEN_SIZE,
  pooling_mode_cls_token: true,
  pooling_mode_mean_tokens: false,
  pooling_mode_max_tokens: false,
  pooling_mode_mean_sqrt_len_tokens: false,
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the tiny model into `dir` (created if needed), in the layout of BAAI/bge-small-zh-v1.5. */
export async function makeTinyModel(dir: string): Promise<void> {
  const vocab = tinyVocabulary();
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await mkdir(join(dir, '1_Pooling'), { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'config.json'), json(modelConfig(vocab.length))),
    writeFile(join(dir, 'tokenizer.json'), json(tokenizerJson(vocab))),
    writeFile(join(dir, 'tokenizer_config.json'), json(TOKENIZER_CONFIG)),
    writeFile(join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`),
    writeFile(join(dir, '1_Pooling', 'config.json'), json(POOLING_CONFIG)),
    writeFile(join(dir, 'onnx', 'model.onnx'), tinyOnnxModel(vocab.length)),
  ]);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: npx tsx scripts/make-tiny-model.ts OUTDIR');
    process.exit(2);
  }
  await makeTinyModel(resolve(outDir));
  console.log(`tiny model written to ${resolve(outDir)} (${tinyVocabulary().length} tokens, hidden size ${TINY_HIDDEN_SIZE})`);
}
