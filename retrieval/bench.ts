// The performance benchmark behind `banshi bench`: build time, query latency and
// memory over a knowledge base, with queries made from the entries' own names and
// questions, perturbed the way citizens type (characters dropped or swapped, facet
// words appended, names cut short).
import type { Changes, Entry } from '../knowledge/index.ts';
import { entryTitle } from '../knowledge/index.ts';
import { seededRandom } from './embedders/svd.ts';
import { createRetriever, type EntrySource, type RetrieverConfig } from './retriever.ts';
import { createAnalyzer } from './analyzer.ts';
import type { Analyzer, Embedder } from './types.ts';

export interface BenchConfig extends Partial<RetrieverConfig> {
  /** The shipped analyzer unless given. */
  analyzer?: Analyzer;
  /** The engine's embedder when it is not the builtin one. */
  embedder?: Embedder;
  queries?: number;
  seed?: number;
}

export interface BenchResult {
  entries: number;
  buildMs: number;
  queryMs: { p50: number; p99: number };
  rssMb: number;
}

/** A fixed set of entries as a read-only entry source: no SQLite, so 100k entries load in no time. */
export function memorySource(entries: Entry[]): EntrySource {
  return {
    revision: () => 1,
    *liveEntries() {
      yield* entries;
    },
    changesSince: (): Changes => ({ revision: 1, upserted: [], removed: [] }),
  };
}

const SubCase = /[（(][^]*[)）]$/;

function baseTitle(entry: Entry | null): string {
  return entry ? entryTitle(entry).replace(SubCase, '') : '';
}

const FacetWords = ['需要什么材料', '在哪里办', '要多久', '怎么办理', '收费吗', '可以网上办吗'];

/** One citizen-style query for an entry: its title with a typo, a cut or a facet question. */
export function perturbedQuery(entry: Entry, random: () => number): string {
  const chars = [...baseTitle(entry)];
  const kind = Math.floor(random() * 4);
  if (chars.length > 3 && kind === 0) chars.splice(1 + Math.floor(random() * (chars.length - 2)), 1);
  if (chars.length > 3 && kind === 1) {
    const i = Math.floor(random() * (chars.length - 1));
    [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
  }
  if (chars.length > 6 && kind === 2) chars.splice(0, Math.floor(chars.length / 3));
  const text = chars.join('');
  return random() < 0.5 ? text + FacetWords[Math.floor(random() * FacetWords.length)]! : text;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchRetrieval(entries: Entry[], config: BenchConfig): Promise<BenchResult> {
  const { analyzer = createAnalyzer(), embedder, queries = 1000, seed = 7, ...retrieverConfig } = config;
  const started = performance.now();
  const retriever = await createRetriever(retrieverConfig, { store: memorySource(entries), analyzer, ...(embedder ? { embedder } : {}) });
  const buildMs = performance.now() - started;
  const random = seededRandom(seed);
  const texts = Array.from({ length: Math.min(queries, Math.max(1, entries.length) * 4) },
    () => perturbedQuery(entries[Math.floor(random() * entries.length)]!, random));
  // Warm up the JIT and the segmenter so the first queries do not stand for the rest.
  for (const text of texts.slice(0, 100)) await retriever.search(text);
  const times: number[] = [];
  for (const text of texts) {
    const t = performance.now();
    await retriever.search(text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await retriever.close();
  return { entries: retriever.size(), buildMs, queryMs: { p50: percentile(times, 50), p99: percentile(times, 99) }, rssMb };
}

const Regions = ['广州市', '深圳市', '珠海市', '汕头市', '佛山市', '韶关市', '河源市', '梅州市', '惠州市', '汕尾市', '东莞市',
  '中山市', '江门市', '阳江市', '湛江市', '茂名市', '肇庆市', '清远市', '潮州市', '揭阳市', '云浮市'];
const Cases = ['首次申请', '变更', '延续', '补办', '注销', '个人', '企业', '港澳居民', '外国人', '委托代办'];

/** An n-entry knowledge base made by varying real entries: per-city and per-case copies, as real catalogues grow. */
export function syntheticEntries(base: Entry[], n: number): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; out.length < n && base.length > 0; i++) {
    const source = base[i % base.length]!;
    const round = Math.floor(i / base.length);
    if (round === 0) {
      out.push(source);
      continue;
    }
    const region = Regions[round % Regions.length]!;
    const variant = Cases[Math.floor(round / Regions.length) % Cases.length]!;
    const id = `${source.id}-s${round}`;
    if (source.kind === 'matter') {
      out.push({ ...source, id, name: `${region}${source.name}（${variant}）`, region, variant, baseName: source.baseName ?? source.name });
    } else {
      out.push({ ...source, id, question: `${region}${variant}${source.question}`, alternates: source.alternates.map((a) => `${region}${a}`) });
    }
  }
  return out;
}

export interface RankQuality {
  queries: number;
  /** Share of queries whose entry (or an entry of the same title) is first, and among the first three. */
  bm25: { top1: number; top3: number };
  dense: { top1: number; top3: number };
  hybrid: { top1: number; top3: number };
}

/** Top-1/top-3 of each stage alone and fused, on perturbed titles: a quick check that fusion helps. */
export async function rankQuality(entries: Entry[], config: BenchConfig): Promise<RankQuality> {
  const { analyzer = createAnalyzer(), embedder, queries = 500, seed = 11, ...retrieverConfig } = config;
  const retriever = await createRetriever(retrieverConfig, { store: memorySource(entries), analyzer, ...(embedder ? { embedder } : {}) });
  const random = seededRandom(seed);
  const modes = { bm25: ['bm25'], dense: ['dense'], hybrid: ['bm25', 'dense'] } as const;
  const hits = { bm25: [0, 0], dense: [0, 0], hybrid: [0, 0] };
  for (let i = 0; i < queries; i++) {
    const entry = entries[Math.floor(random() * entries.length)]!;
    const text = perturbedQuery(entry, random);
    // The query is made from the title without its bracketed sub-case, so any variant of that title is as right.
    const title = baseTitle(entry);
    for (const mode of ['bm25', 'dense', 'hybrid'] as const) {
      const { candidates } = await retriever.search(text, { k: 3, stages: [...modes[mode]] });
      const rank = candidates.findIndex((c) => c.entryId === entry.id || baseTitle(retriever.entry(c.entryId)) === title);
      if (rank === 0) hits[mode][0]!++;
      if (rank >= 0) hits[mode][1]!++;
    }
  }
  await retriever.close();
  const share = ([top1, top3]: number[]): { top1: number; top3: number } => ({ top1: top1! / queries, top3: top3! / queries });
  return { queries, bm25: share(hits.bm25), dense: share(hits.dense), hybrid: share(hits.hybrid) };
}
