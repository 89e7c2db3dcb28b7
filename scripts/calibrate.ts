// Fits the confidence calibration on queries made from the knowledge bases
// themselves and picks the dialogue's thresholds on a held-back half. eval/cases/
// is never read: it stays the held-out measure of the product.
//
//   npx tsx scripts/calibrate.ts [--out retrieval/calibration.json] [--seed 20240611] [--ranking]
//
// --ranking also asks every query of each stage alone and prints top-1, top-3 and
// MRR per index and stage: the way to compare retrieval variants without eval/cases.
//
// The calibration set, one retriever per knowledge base (as one installation
// holds one), default retriever settings (as cli/stack.ts builds them):
// - demo: per FAQ one alternate question is taken out of the entry before
//   indexing and asked (right: the FAQ or its matter); per matter one alias is
//   taken out and asked alone and with a facet phrase (right: the matter only,
//   unless --own-faq-right); repeated in rounds until every alternate and alias
//   has been held out once;
// - Guangdong: matter names as citizens type them (bracketed sub-case dropped,
//   characters dropped or swapped, a frame such as 我想办…); a sibling sharing
//   the baseName is right when the query does not name the variant;
// - Taipei: FAQ questions with characters dropped or swapped, half of them in
//   Simplified; any FAQ with the same question is right;
// - negatives, where nothing is right: Taipei questions and Guangdong names
//   against the demo index, each against the other's index, and chit-chat
//   against all three. Foreign queries on a topic every government knowledge
//   base covers (身份证, 户口 …) are left out: there the "wrong" entry may be the
//   right answer for that installation.
// Samples are split in halves by entry (a hash of the entry or group), so one
// entry's queries never sit on both sides.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Converter } from 'opencc-js';
import {
  checkEntry, DemoFiles, entryTitle, parseSource, type Entry, type Faq, type ImportFormat, type Matter,
} from '../knowledge/index.ts';
import {
  confidenceOf, ConfidenceFeatureNames, createAnalyzer, seededRandom, createRetriever, fitCalibration, HandSetCalibration,
  memorySource, readCalibrationFile, type Calibration, type CalibrationSample, type ConfidenceFeatures, type RetrievalResult,
  type Analyzer, type Retriever,
} from '../retrieval/index.ts';
import { sharedDataPath } from '../test/shared-data.ts';

type KbName = 'demo' | 'gd' | 'tpe';
type Half = 'fit' | 'check';

interface Probe {
  /** How the query was made, for the per-kind figures. */
  kind: string;
  /** The index it is asked against. */
  index: KbName;
  /** Split key: queries of one entry (or variant group) stay in one half. */
  group: string;
  text: string;
  /** The entries that count as a right top-1; empty for a negative. */
  expected: ReadonlySet<string>;
}

/** Measured here only, to see whether the retriever should compute them too. */
const CandidateNames = ['baseMargin', 'titleCoverage', 'facetMatch'] as const;
type CandidateFeatures = Record<(typeof CandidateNames)[number], number>;

interface Outcome {
  probe: Probe;
  half: Half;
  features: ConfidenceFeatures;
  correct: boolean;
  candidates: CandidateFeatures;
  /** The top entry, for the dump. */
  top: string | null;
  /** 1-based rank of the first right entry per stage set (0: not among the candidates), with --ranking. */
  ranks?: Record<StageSet, number>;
}

const StageSets = ['bm25', 'dense', 'hybrid'] as const;
type StageSet = (typeof StageSets)[number];

// ---------------------------------------------------------------------------
// Deterministic randomness and splitting


function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

// ---------------------------------------------------------------------------
// How citizens mistype

/** Drops or swaps a character or two, or cuts the front off a long text; sometimes leaves it as written. */
function typo(text: string, random: () => number): string {
  const chars = [...text];
  const kind = random();
  if (chars.length > 4 && kind < 0.3) chars.splice(1 + Math.floor(random() * (chars.length - 2)), 1);
  else if (chars.length > 6 && kind < 0.45) {
    chars.splice(1 + Math.floor(random() * (chars.length - 2)), 1);
    chars.splice(1 + Math.floor(random() * (chars.length - 2)), 1);
  } else if (chars.length > 3 && kind < 0.7) {
    const i = Math.floor(random() * (chars.length - 1));
    [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
  } else if (chars.length > 8 && kind < 0.8) chars.splice(0, Math.floor(chars.length / 4));
  return chars.join('');
}

const FacetPhrases = ['要带什么材料', '多少钱', '在哪办', '多久能办好', '需要什么条件', '怎么办理', '网上能办吗', '电话是多少'];
const NameFrames = ['{}', '{}', '我想办{}', '{}怎么弄', '{}要什么材料', '请问{}在哪里办', '办{}需要多久', '怎么申请{}'];

/** A trailing bracketed sub-case, which citizens do not type. */
const SubCase = /[（(][^]*[)）]$/;
const stripSubCase = (name: string): string => name.replace(SubCase, '').trim() || name;

let simplifier: ((text: string) => string) | undefined;
function simplified(text: string): string {
  const convert = (simplifier ??= Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}

/** A Taipei question as typed: without its trailing mark or the city's name, perhaps with a typo, half in Simplified. */
function taipeiQuery(question: string, random: () => number): string {
  let text = question.replace(/[？?。！!\s]+$/u, '');
  if (random() < 0.3) text = text.replace(/^(臺北市|台北市|本市)/, '');
  text = typo(text, random);
  return random() < 0.5 ? simplified(text) : text;
}

// Topics nearly every government knowledge base has, in Simplified after
// normalisation; a foreign query on one of them may have a right answer anywhere.
const SharedTopics = [
  '身份证', '身分证', '户口', '户籍', '户政', '落户', '迁入', '迁出', '出生', '新生儿', '死亡', '去世', '护照', '港澳', '台湾', '通行证',
  '签注', '居住证', '结婚', '离婚', '婚姻', '驾驶', '驾照', '机动车', '车辆', '年检', '牌照', '上牌', '社保', '社会保障', '社会保险',
  '养老', '退休', '年金', '劳保', '医保', '健保', '医疗保险', '就医', '生育', '产假', '育儿', '失业', '就业', '公积金', '不动产', '房产',
  '过户', '商品房', '租赁', '租房', '个体', '营业执照', '公司', '商业登记', '犯罪', '良民', '低保', '最低生活', '低收入', '残疾', '身心障碍',
  '老年', '老人', '高龄', '敬老', '小学', '入学', '法律援助', '法律扶助', '律师', '丧葬', '抚恤', '殡葬',
];

const Chitchat = [
  '你好', '在吗', '你是谁', '你是机器人吗', '今天天气怎么样', '明天会下雨吗', '讲个笑话吧', '我好无聊', '你喜欢吃什么', '晚饭吃什么好',
  '附近有什么好吃的', '推荐一部电影', '周末去哪里玩', '帮我订一张去北京的机票', '苹果手机多少钱', '股票明天会涨吗', '比特币怎么买',
  '怎么减肥最快', '感冒了吃什么药', '猫为什么喜欢睡觉', '世界上最高的山是哪座', '一加一等于几', '帮我写一首诗', '唱首歌给我听',
  '你会说英语吗', '我失恋了好难过', '谢谢你', '再见', '哈哈哈', '今天几号', '现在几点了', '世界杯谁是冠军', '红烧肉怎么做',
  '游戏充值失败怎么办', '快递到哪了', '外卖超时了怎么办', '我的手机连不上网', '狗狗一直叫怎么办', '太阳系有几颗行星', '你真聪明',
];

// ---------------------------------------------------------------------------
// The knowledge bases and their probes

async function loadEntries(format: ImportFormat, path: string): Promise<Entry[]> {
  const parsed = await parseSource(format, path);
  // The importer's own check: a record it would reject is not in an installation either.
  return parsed.records.filter((r) => checkEntry(r.entry).length === 0).map((r) => r.entry as Entry);
}

interface Kb {
  entries: Entry[];
  probes: Probe[];
}

/**
 * Demo: per round, one alternate of each FAQ and one alias of each matter taken out
 * of the index and asked; each round holds out a different one, so every alternate
 * and alias is asked once while the knowledge base stays small enough to rebuild.
 */
function demoRounds(source: Entry[], random: () => number, faqsOf: ReadonlyMap<string, string[]>): Kb[] {
  const rounds = Math.max(...source.map((e) => (e.kind === 'faq' ? e.alternates.length : e.aliases.length)));
  const order = new Map(source.map((e) => [e.id, shuffled(e.kind === 'faq' ? e.alternates : e.aliases, random)]));
  return Array.from({ length: rounds }, (_, round) => {
    const probes: Probe[] = [];
    const entries = source.map((entry): Entry => {
      const held = order.get(entry.id)![round];
      if (held === undefined) return entry;
      if (entry.kind === 'faq') {
        probes.push({
          kind: 'demo-faq-alternate', index: 'demo', group: entry.id, text: held,
          expected: new Set([entry.id, ...(entry.matterId ? [entry.matterId] : [])]),
        });
        return { ...entry, alternates: entry.alternates.filter((a) => a !== held) };
      }
      const expected = new Set([entry.id, ...faqsOf.get(entry.id) ?? []]);
      probes.push({ kind: 'demo-alias', index: 'demo', group: entry.id, text: held, expected });
      probes.push({ kind: 'demo-alias-facet', index: 'demo', group: entry.id, text: held + pick(FacetPhrases, random), expected });
      return { ...entry, aliases: entry.aliases.filter((a) => a !== held) };
    });
    return { entries, probes };
  });
}

/** Matter id → the ids of the FAQs linked to it. */
function ownFaqs(source: Entry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of source) if (e.kind === 'faq' && e.matterId) out.set(e.matterId, [...out.get(e.matterId) ?? [], e.id]);
  return out;
}

/** Guangdong: names of up to two members of each variant group, and the group's own name. */
function gdKb(entries: Entry[], random: () => number, limit: number): Kb {
  const matters = entries.filter((e): e is Matter => e.kind === 'matter');
  const byName = new Map<string, string[]>();
  const byBase = new Map<string, string[]>();
  for (const m of matters) {
    const name = stripSubCase(m.name);
    byName.set(name, [...(byName.get(name) ?? []), m.id]);
    const base = m.baseName || m.name;
    byBase.set(base, [...(byBase.get(base) ?? []), m.id]);
  }
  // A query that says no more than the catalogue name leaves the variant open: any sibling is right.
  const expectedFor = (name: string, base: string): Set<string> =>
    new Set([...(byName.get(name) ?? []), ...(name === base ? byBase.get(base) ?? [] : [])]);
  const query = (name: string): string => pick(NameFrames, random).replace('{}', typo(name, random));
  const probes: Probe[] = [];
  for (const base of shuffled([...byBase.keys()], random)) {
    if (probes.length >= limit) break;
    const members = byBase.get(base)!;
    for (const id of shuffled(members, random).slice(0, 2)) {
      const name = stripSubCase(matters.find((m) => m.id === id)!.name);
      probes.push({ kind: 'gd-name', index: 'gd', group: base, text: query(name), expected: expectedFor(name, base) });
    }
    if (members.length > 1) probes.push({ kind: 'gd-base', index: 'gd', group: base, text: query(base), expected: expectedFor(base, base) });
  }
  return { entries, probes };
}

/** Taipei: perturbed questions; the city published some questions twice, and either copy is right. */
function tpeKb(entries: Entry[], random: () => number, limit: number, key: (q: string) => string): Kb {
  const faqs = entries.filter((e): e is Faq => e.kind === 'faq');
  const byQuestion = new Map<string, string[]>();
  for (const f of faqs) byQuestion.set(key(f.question), [...(byQuestion.get(key(f.question)) ?? []), f.id]);
  const probes = shuffled(faqs, random).slice(0, limit).map((f): Probe => ({
    kind: 'tpe-question', index: 'tpe', group: key(f.question), text: taipeiQuery(f.question, random),
    expected: new Set(byQuestion.get(key(f.question))),
  }));
  return { entries, probes };
}

/**
 * Ranking only, never fitted: half of an entry's title words, shuffled, in a frame,
 * as a citizen who remembers only the gist types them. Any variant of a Guangdong
 * matter and any copy of a Taipei question is right.
 */
function gistProbes(analyzer: Analyzer, entries: Entry[], index: KbName, random: () => number, limit: number): Probe[] {
  const keyOf = (e: Entry): string => (e.kind === 'matter' ? e.baseName || e.name : analyzer.normalize(e.question).text);
  const family = new Map<string, string[]>();
  for (const e of entries) family.set(keyOf(e), [...family.get(keyOf(e)) ?? [], e.id]);
  return shuffled(entries, random).slice(0, limit).flatMap((e): Probe[] => {
    const words = analyzer.tokens(analyzer.normalize(entryTitle(e)).text).filter((w) => [...w].length > 1);
    if (words.length < 2) return [];
    const kept = shuffled(words, random).slice(0, Math.ceil(words.length / 2)).join('');
    return [{ kind: `${index}-gist`, index, group: keyOf(e), text: pick(NameFrames, random).replace('{}', kept), expected: new Set(family.get(keyOf(e))) }];
  });
}

const isGist = (probe: Probe): boolean => probe.kind.endsWith('-gist');

// ---------------------------------------------------------------------------
// Running the probes

function baseKey(retriever: Retriever, id: string): string {
  const entry = retriever.entry(id);
  if (!entry) return `?${id}`;
  if (entry.kind === 'matter') return entry.baseName ? `b:${entry.baseName}` : `m:${entry.id}`;
  const matter = entry.matterId ? retriever.entry(entry.matterId) : null;
  return matter ? baseKey(retriever, matter.id) : `f:${entry.id}`;
}

/**
 * - baseMargin: the margin over the best candidate of another base matter (a
 *   variant or an FAQ of the same matter is no rival);
 * - titleCoverage: the share of the top entry's own title the query accounts for
 *   (coverage runs the other way: the query's words found in the title), so a
 *   bare name matched to a long, specific FAQ question scores low;
 * - facetMatch: 0 when the top entry is an FAQ whose question asks another facet than the query.
 */
function candidateFeatures(retriever: Retriever, result: RetrievalResult): CandidateFeatures {
  const top = result.candidates[0];
  const entry = top ? retriever.entry(top.entryId) : null;
  if (!top || !entry || top.score <= 0) return { baseMargin: 0, titleCoverage: 0, facetMatch: 0 };
  const own = baseKey(retriever, top.entryId);
  const rival = result.candidates.find((c) => baseKey(retriever, c.entryId) !== own)?.score ?? 0;
  const title = retriever.analyze(entryTitle(entry));
  const query = new Set(result.query.normalized.text);
  const chars = [...title.normalized.text.replace(/\s+/g, '')];
  return {
    baseMargin: (top.score - rival) / top.score,
    titleCoverage: chars.length ? chars.filter((c) => query.has(c)).length / chars.length : 0,
    facetMatch: entry.kind === 'matter' || title.facet.facet === result.query.facet.facet ? 1 : 0,
  };
}

async function run(name: KbName, entries: Entry[], probes: Probe[], split: (group: string) => Half, ranking: boolean): Promise<Outcome[]> {
  const started = performance.now();
  // A fresh analyzer per index, as each installation has its own.
  const retriever = await createRetriever({}, { store: memorySource(entries), analyzer: createAnalyzer() });
  const built = performance.now() - started;
  const outcomes: Outcome[] = [];
  for (const probe of probes) {
    const result = await retriever.search(probe.text);
    const top = result.candidates[0];
    const rankOf = (r: RetrievalResult): number => r.candidates.findIndex((c) => probe.expected.has(c.entryId)) + 1;
    const ranks = ranking && probe.expected.size > 0 ? {
      bm25: rankOf(await retriever.search(probe.text, { stages: ['bm25'] })),
      dense: rankOf(await retriever.search(probe.text, { stages: ['dense'] })),
      hybrid: rankOf(result),
    } : undefined;
    outcomes.push({
      probe, half: split(probe.group), features: result.features, candidates: candidateFeatures(retriever, result),
      correct: top !== undefined && probe.expected.has(top.entryId), top: top ? `${top.entryId} ${top.title}` : null,
      ...(ranks ? { ranks } : {}),
    });
  }
  await retriever.close();
  const queried = performance.now() - started - built;
  process.stdout.write(`${name}: ${retriever.size()} entries indexed in ${(built / 1000).toFixed(1)} s, ${probes.length} queries in ${(queried / 1000).toFixed(1)} s\n`);
  return outcomes;
}

// ---------------------------------------------------------------------------
// Measures

interface Scored { p: number; y: boolean }

const brier = (xs: Scored[]): number => xs.reduce((s, x) => s + (x.p - (x.y ? 1 : 0)) ** 2, 0) / xs.length;

/** Probability that a right top-1 gets a higher confidence than a wrong one (ties count half). */
function auc(xs: Scored[]): number {
  const sorted = [...xs].sort((a, b) => a.p - b.p);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.p === sorted[i]!.p) j++;
    for (let k = i; k < j; k++) if (sorted[k]!.y) { rankSum += (i + j + 1) / 2; positives++; }
    i = j;
  }
  const negatives = sorted.length - positives;
  return positives && negatives ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives) : 0.5;
}

interface Bin { from: number; to: number; count: number; correct: number; meanConfidence: number }

function reliability(xs: Scored[]): Bin[] {
  return Array.from({ length: 10 }, (_, i) => {
    const inBin = xs.filter((x) => Math.min(9, Math.floor(x.p * 10)) === i);
    return {
      from: i / 10, to: (i + 1) / 10, count: inBin.length, correct: inBin.filter((x) => x.y).length,
      meanConfidence: round(inBin.reduce((s, x) => s + x.p, 0) / (inBin.length || 1), 3),
    };
  });
}

function atThreshold(xs: Scored[], t: number): { threshold: number; answered: number; precision: number; coverage: number } {
  const above = xs.filter((x) => x.p >= t);
  const precision = above.length ? above.filter((x) => x.y).length / above.length : 1;
  return { threshold: t, answered: above.length, precision: round(precision, 4), coverage: round(above.length / xs.length, 4) };
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Pool-adjacent-violators: the share of right top-1s as a non-decreasing step function of confidence. */
function isotonic(xs: Scored[]): { p: number; rate: number }[] {
  const blocks: { from: number; right: number; count: number }[] = [];
  for (const x of [...xs].sort((a, b) => a.p - b.p)) {
    blocks.push({ from: x.p, right: x.y ? 1 : 0, count: 1 });
    while (blocks.length > 1 && blocks.at(-2)!.right / blocks.at(-2)!.count >= blocks.at(-1)!.right / blocks.at(-1)!.count) {
      const last = blocks.pop()!;
      blocks.at(-1)!.right += last.right;
      blocks.at(-1)!.count += last.count;
    }
  }
  return blocks.map((b) => ({ p: b.from, rate: b.right / b.count }));
}

/**
 * The answer threshold's precision on the check half. The product's budget is at most
 * 3% of all questions answered wrong; about half are answered, so 95% precision spends
 * about 2.5%. 97% (until 2026-11-23) left a third of the budget unspent and asked
 * where the answer was right.
 */
const AnswerPrecision = 0.95;

/**
 * answer: the lowest confidence from which precision stays at or above the target
 * for every higher threshold, so a lucky dip does not set it. fallback: where the
 * share of right top-1s, as a monotone function of confidence, reaches the floor;
 * a cumulative share below a threshold would not do, as the many negatives near
 * zero would hold it under the floor far up the scale.
 */
function chooseThresholds(xs: Scored[], target: number, floor: number): { answer: number; fallback: number } {
  const grid = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  let answer = 1;
  for (const t of [...grid].reverse()) {
    const { answered, precision } = atThreshold(xs, t);
    if (answered > 0 && precision < target) break;
    answer = t;
  }
  const reached = isotonic(xs).find((step) => step.rate >= floor)?.p ?? answer;
  return { answer, fallback: round(Math.min(Math.floor(reached * 100) / 100, answer - 0.01), 2) };
}

/**
 * The same logistic regression as fitCalibration over any feature vector, for
 * measuring candidate features the retriever does not compute yet.
 */
function fitLogistic(rows: number[][], ys: boolean[]): (row: number[]) => number {
  const { epochs, learningRate, l2 } = { epochs: 3000, learningRate: 0.5, l2: 1e-3 };
  const width = rows[0]?.length ?? 0;
  const w = new Array<number>(width).fill(0);
  let bias = 0;
  const predict = (row: number[]): number => 1 / (1 + Math.exp(-row.reduce((z, x, i) => z + w[i]! * x, bias)));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Array<number>(width).fill(0);
    let gradBias = 0;
    rows.forEach((row, r) => {
      const error = predict(row) - (ys[r] ? 1 : 0);
      gradBias += error;
      for (let i = 0; i < width; i++) grad[i]! += error * row[i]!;
    });
    bias -= (learningRate * gradBias) / rows.length;
    for (let i = 0; i < width; i++) w[i]! -= learningRate * (grad[i]! / rows.length + l2 * w[i]!);
  }
  return predict;
}

/** Top-1, top-3 and MRR per index and stage set, over both halves (nothing is fitted on ranks). */
function rankingReport(outcomes: Outcome[]): void {
  process.stdout.write('\nRanking per index (all its own queries), top-1 / top-3 / MRR:\n');
  const label = (o: Outcome): string => (isGist(o.probe) ? o.probe.kind : o.probe.index);
  const ranked = outcomes.filter((o) => o.ranks);
  for (const group of new Set(ranked.map(label))) {
    const inGroup = ranked.filter((o) => label(o) === group);
    const cells = StageSets.map((set) => {
      const ranks = inGroup.map((o) => o.ranks![set]);
      const share = (test: (r: number) => boolean): string => pct(ranks.filter(test).length / ranks.length);
      const mrr = ranks.reduce((s, r) => s + (r > 0 ? 1 / r : 0), 0) / ranks.length;
      return `${set} ${share((r) => r === 1)} / ${share((r) => r > 0 && r <= 3)} / ${mrr.toFixed(3)}`;
    });
    process.stdout.write(`  ${group.padEnd(8)} ${String(inGroup.length).padStart(4)} queries   ${cells.join('   ')}\n`);
  }
}

/** The commit the features were computed on, and retrieval files that differed from it, so a stale fit can be told. */
function sourceState(): { commit: string; modified: string[] } {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  // Porcelain lines are "XY path": the status columns may start with a space, so no trimming before the slice.
  const modified = git('status', '--porcelain', '--', 'retrieval', 'knowledge').split('\n').map((line) => line.slice(3))
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !/calibration\.ts$|index\.ts$/.test(path));
  return { commit: git('rev-parse', 'HEAD').trim() || 'unknown', modified };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'retrieval/calibration.json' },
      seed: { type: 'string', default: '20240611' },
      // Every query with its features and top entry, as JSON Lines, to read the misses.
      dump: { type: 'string' },
      // Count a matter query answered by one of that matter's own FAQs as right (the default follows the eval: wrong).
      'own-faq-right': { type: 'boolean', default: false },
      ranking: { type: 'boolean', default: false },
    },
  });
  const seed = Number(values.seed);
  const random = seededRandom(seed);
  const split = (group: string): Half => (fnv1a(`${seed}:${group}`) % 2 === 0 ? 'fit' : 'check');
  const analyzer = createAnalyzer();
  const norm = (text: string): string => analyzer.normalize(text).text.replace(/\s+/g, '');
  const foreign = (text: string): boolean => !SharedTopics.some((topic) => norm(text).includes(topic));

  const demoSource = (await Promise.all(DemoFiles.map((file) => loadEntries('banshi-json', file)))).flat();
  const gdSource = await loadEntries('gd-matters', sharedDataPath('gd-matters.jsonl'));
  const tpeSource = await loadEntries('tpe-faq', sharedDataPath('tpe-faq.xml'));
  const faqsOf = ownFaqs(demoSource);

  const demo = demoRounds(demoSource, random, values['own-faq-right'] ? faqsOf : new Map());
  const gd = gdKb(gdSource, random, 800);
  const tpe = tpeKb(tpeSource, random, 800, norm);

  // Negatives: foreign queries made the same way as the positives, so only the index differs.
  const leftOut: string[] = [];
  const negatives = (kind: string, index: KbName, texts: string[], n: number): Probe[] => {
    const kept = texts.filter(foreign);
    if (kept.length < texts.length) leftOut.push(`${kind} ${texts.length - kept.length} of ${texts.length}`);
    return kept.slice(0, n).map((text) => ({ kind, index, group: `neg:${text}`, text, expected: new Set<string>() }));
  };
  const tpeQueries = shuffled(tpeSource.filter((e): e is Faq => e.kind === 'faq'), random).slice(0, 900)
    .map((f) => taipeiQuery(f.question, random));
  const gdQueries = shuffled(gdSource.filter((e): e is Matter => e.kind === 'matter'), random).slice(0, 900)
    .map((m) => pick(NameFrames, random).replace('{}', typo(stripSubCase(m.name), random)));
  const negativeProbes: Probe[] = [
    ...negatives('neg-tpe→demo', 'demo', tpeQueries.slice(0, 450), 250),
    ...negatives('neg-gd→demo', 'demo', gdQueries.slice(0, 450), 250),
    ...negatives('neg-tpe→gd', 'gd', tpeQueries.slice(450), 150),
    ...negatives('neg-gd→tpe', 'tpe', gdQueries.slice(450), 150),
    ...(['demo', 'gd', 'tpe'] as const).flatMap((index) => negatives('neg-chitchat', index, Chitchat, Chitchat.length)),
  ];
  const probesOf = (index: KbName, own: Probe[]): Probe[] => [...own, ...negativeProbes.filter((p) => p.index === index)];
  // Their own random stream, so the fitted probes are the same with or without --ranking.
  const gistRandom = seededRandom(seed + 1);
  const gists = (entries: Entry[], index: KbName): Probe[] => (values.ranking ? gistProbes(analyzer, entries, index, gistRandom, 400) : []);

  // One index at a time, so only one is in memory and each sees only its own queries.
  let outcomes: Outcome[] = [];
  for (const [round, kb] of demo.entries()) {
    // The negatives need asking once, against the first round's index.
    outcomes.push(...await run('demo', kb.entries, round === 0 ? probesOf('demo', kb.probes) : kb.probes, split, values.ranking));
  }
  outcomes.push(...await run('gd', gd.entries, [...probesOf('gd', gd.probes), ...gists(gd.entries, 'gd')], split, values.ranking));
  outcomes.push(...await run('tpe', tpe.entries, [...probesOf('tpe', tpe.probes), ...gists(tpe.entries, 'tpe')], split, values.ranking));

  if (values.dump) {
    writeFileSync(values.dump, outcomes.map((o) => `${JSON.stringify({
      kind: o.probe.kind, half: o.half, text: o.probe.text, correct: o.correct, top: o.top, expected: [...o.probe.expected].slice(0, 5),
      features: o.features, candidates: o.candidates, handSet: round(confidenceOf(o.features, HandSetCalibration), 4),
    })}\n`).join(''));
  }

  if (values.ranking) {
    rankingReport(outcomes);
    outcomes = outcomes.filter((o) => !isGist(o.probe));
  }

  const fitHalf = outcomes.filter((o) => o.half === 'fit');
  const checkHalf = outcomes.filter((o) => o.half === 'check');
  const samples = (os: Outcome[]): CalibrationSample[] => os.map((o) => ({ features: o.features, correct: o.correct }));
  const fitted: Calibration = fitCalibration(samples(fitHalf));
  const scored = (calibration: Calibration, os: Outcome[]): Scored[] =>
    os.map((o) => ({ p: confidenceOf(o.features, calibration), y: o.correct }));
  const before = scored(HandSetCalibration, checkHalf);
  const after = scored(fitted, checkHalf);
  const out = process.stdout;

  const kinds = [...new Set(outcomes.map((o) => o.probe.kind))];
  out.write('\nSamples (fit / check), top-1 accuracy on the check half:\n');
  for (const kind of kinds) {
    const fit = fitHalf.filter((o) => o.probe.kind === kind).length;
    const check = checkHalf.filter((o) => o.probe.kind === kind);
    const accuracy = kind.startsWith('neg') ? 'negative' : `top-1 ${pct(check.filter((o) => o.correct).length / check.length)}`;
    out.write(`  ${kind.padEnd(20)} ${String(fit).padStart(5)} / ${String(check.length).padStart(5)}   ${accuracy}\n`);
  }
  // The default counts a bare matter name answered by one of that matter's own FAQs as wrong; how often it happens.
  const ownFaq = checkHalf.filter((o) => {
    const id = o.top?.split(' ')[0] ?? '';
    return o.probe.kind.startsWith('demo-alias') && [...o.probe.expected].some((m) => faqsOf.get(m)?.includes(id));
  }).length;
  out.write(`  foreign queries left out as on a shared topic: ${leftOut.join(', ')}\n`);
  out.write(`  demo matter queries whose top-1 is one of that matter's FAQs: ${ownFaq} (counted ${values['own-faq-right'] ? 'right' : 'wrong'})\n`);

  out.write('\nPer index on the check half (its own queries and the negatives asked of it):\n');
  const perIndex = Object.fromEntries((['demo', 'gd', 'tpe'] as const).map((index) => {
    const os = checkHalf.filter((o) => o.probe.index === index);
    const own = os.filter((o) => o.probe.expected.size > 0);
    const figures = {
      queries: own.length, negatives: os.length - own.length, top1: round(own.filter((o) => o.correct).length / own.length, 4),
      brier: { handSet: round(brier(scored(HandSetCalibration, os)), 4), fitted: round(brier(scored(fitted, os)), 4) },
      auc: { handSet: round(auc(scored(HandSetCalibration, os)), 3), fitted: round(auc(scored(fitted, os)), 3) },
      // Among its own queries only: can confidence tell a right top-1 from a wrong one?
      aucOwnQueries: round(auc(scored(fitted, own)), 3),
    };
    out.write(`  ${index.padEnd(5)} ${own.length} queries (top-1 ${pct(figures.top1)}) + ${figures.negatives} negatives:`
      + ` Brier ${figures.brier.handSet} → ${figures.brier.fitted}, AUC ${figures.auc.handSet} → ${figures.auc.fitted},`
      + ` AUC within its own queries ${figures.aucOwnQueries}\n`);
    return [index, figures];
  }));

  out.write('\nFitted on the fit half:\n');
  out.write(`  bias ${fitted.bias.toFixed(3)}; ${ConfidenceFeatureNames.map((n) => `${n} ${fitted.weights[n].toFixed(3)}`).join(', ')}\n`);

  out.write('\nFeatures on the check half, mean for right vs wrong top-1s, and how well each alone separates them:\n');
  const valueOf = (o: Outcome, name: string): number =>
    name in o.candidates ? o.candidates[name as keyof CandidateFeatures] : o.features[name as keyof ConfidenceFeatures];
  for (const name of [...ConfidenceFeatureNames, ...CandidateNames]) {
    const mean = (os: Outcome[]): number => os.reduce((s, o) => s + valueOf(o, name), 0) / (os.length || 1);
    const alone = auc(checkHalf.map((o) => ({ p: valueOf(o, name), y: o.correct })));
    const candidate = (CandidateNames as readonly string[]).includes(name) ? '  (candidate, not in the retriever)' : '';
    out.write(`  ${name.padEnd(13)} right ${mean(checkHalf.filter((o) => o.correct)).toFixed(3)}  wrong ${mean(checkHalf.filter((o) => !o.correct)).toFixed(3)}`
      + `  AUC ${alone.toFixed(3)}${candidate}\n`);
  }

  const bins = reliability(after);
  const binsBefore = reliability(before);
  out.write('\nReliability on the check half:        fitted                      hand-set\n  confidence       count   right  mean conf      count   right\n');
  bins.forEach((b, i) => {
    const h = binsBefore[i]!;
    const share = (bin: Bin): string => (bin.count ? pct(bin.correct / bin.count) : '–').padStart(7);
    out.write(`  ${b.from.toFixed(1)}–${b.to.toFixed(1)}        ${String(b.count).padStart(6)} ${share(b)}  ${(b.count ? b.meanConfidence.toFixed(3) : '–').padStart(9)}`
      + `     ${String(h.count).padStart(6)} ${share(h)}\n`);
  });
  const thresholdRows = [0.5, 0.6, 0.7, 0.8, 0.9].map((t) => ({ fitted: atThreshold(after, t), handSet: atThreshold(before, t) }));
  out.write('\nPrecision / coverage at thresholds (check half):\n');
  for (const row of thresholdRows) {
    out.write(`  ≥ ${row.fitted.threshold.toFixed(1)}   fitted ${pct(row.fitted.precision).padStart(6)} / ${pct(row.fitted.coverage).padStart(6)}`
      + `    hand-set ${pct(row.handSet.precision).padStart(6)} / ${pct(row.handSet.coverage).padStart(6)}\n`);
  }
  const brierBefore = brier(before);
  const brierAfter = brier(after);
  out.write(`\nBrier (check half): hand-set ${brierBefore.toFixed(4)} → fitted ${brierAfter.toFixed(4)}; AUC ${auc(before).toFixed(3)} → ${auc(after).toFixed(3)}\n`);

  // Candidate features, measured: the same regression with each added, judged on the check half.
  out.write('\nWith candidate features added (same fit, check half; demo = its own queries only):\n');
  const demoOwn = (o: Outcome): boolean => o.probe.index === 'demo' && o.probe.expected.size > 0;
  for (const extra of [[], ['baseMargin'], ['titleCoverage'], ['facetMatch'], [...CandidateNames]] as (typeof CandidateNames[number])[][]) {
    const row = (o: Outcome): number[] => [...ConfidenceFeatureNames.map((n) => o.features[n]), ...extra.map((n) => o.candidates[n])];
    const predict = fitLogistic(fitHalf.map(row), fitHalf.map((o) => o.correct));
    const xs = checkHalf.map((o) => ({ p: predict(row(o)), y: o.correct }));
    const demoXs = checkHalf.filter(demoOwn).map((o) => ({ p: predict(row(o)), y: o.correct }));
    out.write(`  ${(extra.length ? `+ ${extra.join(' + ')}` : 'the six features').padEnd(42)} Brier ${brier(xs).toFixed(4)}  AUC ${auc(xs).toFixed(3)}`
      + `   demo Brier ${brier(demoXs).toFixed(4)}  AUC ${auc(demoXs).toFixed(3)}\n`);
  }

  const thresholds = chooseThresholds(after, AnswerPrecision, 0.3);
  const answered = atThreshold(after, thresholds.answer);
  out.write(`\nThresholds: answer ${thresholds.answer} (precision ${pct(answered.precision)}, coverage ${pct(answered.coverage)}), fallback ${thresholds.fallback}\n`);

  // A negative weight would make confidence fall as evidence rises: a sign of label noise or collinearity to look into, not to ship.
  const negative = ConfidenceFeatureNames.filter((n) => !(fitted.weights[n] >= 0));
  if (negative.length > 0) {
    throw new Error(`the fit gave ${negative.join(', ')} a negative weight; not writing ${values.out}`);
  }

  const count = (os: Outcome[]): Record<string, number> =>
    Object.fromEntries(kinds.map((k) => [k, os.filter((o) => o.probe.kind === k).length]));
  const file = {
    version: 1,
    fittedAt: new Date().toISOString(),
    seed,
    ownFaqRight: values['own-faq-right'],
    retriever: 'defaults (builtin engine, weighted fusion): refit after changing a retrieval stage',
    fittedOn: sourceState(),
    samples: { fit: fitHalf.length, check: checkHalf.length, fitByKind: count(fitHalf), checkByKind: count(checkHalf) },
    bias: round(fitted.bias, 6),
    weights: Object.fromEntries(ConfidenceFeatureNames.map((n) => [n, round(fitted.weights[n], 6)])),
    thresholds,
    check: {
      brier: { handSet: round(brierBefore, 5), fitted: round(brierAfter, 5) },
      auc: { handSet: round(auc(before), 4), fitted: round(auc(after), 4) },
      perIndex,
      reliability: bins,
      reliabilityHandSet: binsBefore,
      atThresholds: thresholdRows.map((r) => r.fitted),
    },
  };
  // Read back through the loader's own check, so a file the bot would refuse is never written.
  readCalibrationFile(JSON.parse(JSON.stringify(file)), values.out);
  writeFileSync(resolve(values.out), `${JSON.stringify(file, null, 2)}\n`);
  out.write(`Wrote ${values.out}\n`);
}

await main();
