// The dense stage: entry vectors in an HNSW graph (hnswlib, cosine), several vectors
// per entry (the name or question and each alias or alternate), scored by the best one.
// Persisted with a versioned manifest; loaded only when it matches the knowledge-base
// revision, engine, model and dimension, otherwise rebuilt; edited in place afterwards.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Entry } from '../knowledge/index.ts';
import { entryVectorTexts } from './entry-fields.ts';
import type { AnalyzedQuery, Embedder, Stage, StageHit } from './types.ts';

export interface HnswOptions {
  /** Graph degree: higher is more accurate and larger. */
  M: number;
  efConstruction: number;
  /** Search breadth: higher is more accurate and slower. */
  ef: number;
}

// ef 64 missed a query's best entry (cosine .66, the next .53) among entries added
// after the build. 128 still lost entries ranked 4th by exact cosine on the shared
// data sets, where hundreds of near-identical names crowd the graph: the fusion then
// saw only the sparse half of a good match. 192 ranks the bundled cases exactly as 256
// does (shared top-3 91.8%, MRR .852) at a lower tail: 4.1k-entry p99 2.7–4.5 ms
// against 4.0–5.7 ms in three runs each.
export const HnswDefaults: Readonly<HnswOptions> = Object.freeze({ M: 16, efConstruction: 100, ef: 192 });

/** Bump when the manifest or the way vectors are made changes: old indexes are then rebuilt. */
export const DenseFormatVersion = 2;
const ManifestFile = 'manifest.json';
const IndexFile = 'vectors.hnsw';
const EmbedBatch = 256;

/** Where an embedder comes from: trained on a build, read back beside a persisted index, or given. */
export interface EmbedderSource {
  readonly engine: string;
  /** The dimension its vectors will have, known before any model is loaded. */
  readonly dimensions: number;
  /** The settings that shape its vectors: a persisted index made under others is rebuilt. */
  readonly settings: string;
  /** The embedder for a persisted index made with modelId, or null when it cannot be had. */
  load(dir: string, modelId: string): Promise<Embedder | null>;
  build(entries: Entry[]): Promise<Embedder>;
  /** Saves whatever load() needs, beside the index. */
  save(dir: string): Promise<void>;
}

/** An embedder that also learns from the entries it indexes (the builtin one: n-gram statistics). */
export interface LearningEmbedder extends Embedder {
  observe(entryTexts: string[]): void;
}

function learns(embedder: Embedder): embedder is LearningEmbedder {
  return typeof (embedder as Partial<LearningEmbedder>).observe === 'function';
}

export interface DenseManifest {
  format: number;
  engine: string;
  modelId: string;
  dimensions: number;
  settings: string;
  revision: number;
  M: number;
  efConstruction: number;
  nextLabel: number;
  /** Vector label → entry id. */
  labels: [number, string][];
}

export interface DenseIndexInfo {
  source: 'loaded' | 'built';
  /** Why it was built rather than loaded (empty when loaded). */
  reason: string;
  engine: string;
  modelId: string;
  dimensions: number;
  vectors: number;
  buildMs: number;
}

export interface DenseOpenOptions {
  source: EmbedderSource;
  hnsw: HnswOptions;
  /** The knowledge-base revision the entries are at. */
  revision: number;
  entries: Entry[];
  /** Persist under this directory; none keeps the index in memory only. */
  dir?: string;
}

async function readManifest(dir: string): Promise<DenseManifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, ManifestFile), 'utf8')) as DenseManifest;
  } catch {
    return null;
  }
}

function staleness(manifest: DenseManifest | null, options: DenseOpenOptions): string {
  if (!manifest) return 'no persisted index';
  if (manifest.format !== DenseFormatVersion) return `format ${manifest.format} is not ${DenseFormatVersion}`;
  if (manifest.engine !== options.source.engine) return `engine ${manifest.engine} is not ${options.source.engine}`;
  if (manifest.dimensions !== options.source.dimensions) return `dimension ${manifest.dimensions} is not ${options.source.dimensions}`;
  if (manifest.settings !== options.source.settings) return 'embedder settings changed';
  if (manifest.revision !== options.revision) return `revision ${manifest.revision} is not the knowledge base's ${options.revision}`;
  if (manifest.M !== options.hnsw.M || manifest.efConstruction !== options.hnsw.efConstruction) return 'HNSW parameters changed';
  return '';
}

export class DenseIndex implements Stage {
  readonly name = 'dense';
  private readonly labelsOf = new Map<string, number[]>();
  private readonly entryOf = new Map<number, string>();
  /** The query vector as the native search takes it (an Array), refilled per search: no array or iterator garbage per turn. */
  private readonly point: number[] = [];
  private dirty = false;

  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    private readonly embedder: Embedder,
    private readonly options: DenseOpenOptions,
    private nextLabel: number,
    private revision: number,
    readonly info: DenseIndexInfo,
  ) {
    index.setEf(options.hnsw.ef);
  }

  static async open(options: DenseOpenOptions): Promise<DenseIndex> {
    const started = performance.now();
    const dir = options.dir ? join(options.dir, 'dense', options.source.engine) : null;
    let reason = 'memory only';
    if (dir) {
      const manifest = await readManifest(dir);
      reason = staleness(manifest, options);
      const embedder = !reason && manifest ? await options.source.load(dir, manifest.modelId) : null;
      if (!reason && !embedder) reason = `model ${manifest!.modelId} unavailable`;
      if (!reason && embedder && embedder.dimensions !== manifest!.dimensions) reason = `dimension ${manifest!.dimensions} is not ${embedder.dimensions}`;
      if (!reason && embedder && manifest) {
        const index = new hnswlib.HierarchicalNSW('cosine', manifest.dimensions);
        try {
          index.readIndexSync(join(dir, IndexFile), true);
          const dense = new DenseIndex(index, embedder, options, manifest.nextLabel, manifest.revision, {
            source: 'loaded', reason: '', engine: manifest.engine, modelId: manifest.modelId,
            dimensions: manifest.dimensions, vectors: manifest.labels.length, buildMs: performance.now() - started,
          });
          for (const [label, id] of manifest.labels) dense.link(label, id);
          return dense;
        } catch (cause) {
          reason = `index file unreadable (${cause instanceof Error ? cause.message : String(cause)})`;
        }
      }
    }
    const embedder = await options.source.build(options.entries);
    const index = new hnswlib.HierarchicalNSW('cosine', embedder.dimensions);
    index.initIndex({ maxElements: 1024, m: options.hnsw.M, efConstruction: options.hnsw.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    const dense = new DenseIndex(index, embedder, options, 0, options.revision, {
      source: 'built', reason, engine: options.source.engine, modelId: embedder.modelId,
      dimensions: embedder.dimensions, vectors: 0, buildMs: 0,
    });
    // Training already counted these entries' n-grams.
    await dense.add(options.entries, false);
    dense.info.buildMs = performance.now() - started;
    if (dir) await dense.persist();
    return dense;
  }

  async upsert(entries: Entry[]): Promise<void> {
    await this.add(entries, true);
  }

  private async add(entries: Entry[], observe: boolean): Promise<void> {
    if (entries.length === 0) return;
    this.remove(entries.map((e) => e.id));
    const texts: string[] = [];
    const owners: string[] = [];
    for (const entry of entries) {
      const own = entryVectorTexts(entry);
      if (observe && learns(this.embedder)) this.embedder.observe(own);
      for (const text of own) {
        texts.push(text);
        owners.push(entry.id);
      }
    }
    this.reserve(texts.length);
    for (let start = 0; start < texts.length; start += EmbedBatch) {
      const vectors = await this.embedder.embed(texts.slice(start, start + EmbedBatch));
      vectors.forEach((vector, i) => {
        if (!isUsable(vector)) return;
        const label = this.nextLabel++;
        this.index.addPoint(Array.from(vector), label, true);
        this.link(label, owners[start + i]!);
      });
    }
    this.dirty = true;
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const labels = this.labelsOf.get(id);
      if (!labels) continue;
      for (const label of labels) {
        this.index.markDelete(label);
        this.entryOf.delete(label);
      }
      this.labelsOf.delete(id);
      this.info.vectors = this.entryOf.size;
      this.dirty = true;
    }
  }

  /** Cosine similarity of each entry's best vector, best first. */
  async search(query: AnalyzedQuery, k: number): Promise<StageHit[]> {
    if (!query.text || this.entryOf.size === 0) return [];
    const [vector] = await this.embedder.embed([query.text]);
    if (!vector || !isUsable(vector)) return [];
    // Entries have several vectors each: ask for more neighbours than entries wanted.
    const neighbours = Math.min(k * 3, this.entryOf.size, this.index.getMaxElements());
    this.index.setEf(Math.max(this.options.hnsw.ef, neighbours));
    this.point.length = vector.length;
    for (let i = 0; i < vector.length; i++) this.point[i] = vector[i]!;
    const { neighbors, distances } = this.index.searchKnn(this.point, neighbours);
    const best = new Map<string, number>();
    neighbors.forEach((label, i) => {
      const id = this.entryOf.get(label);
      if (id === undefined) return;
      const score = 1 - distances[i]!;
      if (score > (best.get(id) ?? -Infinity)) best.set(id, score);
    });
    return [...best].sort((a, b) => b[1] - a[1]).slice(0, k);
  }

  /** Records that the index now reflects this knowledge-base revision. */
  markRevision(revision: number): void {
    if (revision !== this.revision) this.dirty = true;
    this.revision = revision;
  }

  /** Writes index and manifest (manifest last, each by rename) when something changed since the last write. */
  async persist(): Promise<void> {
    if (!this.options.dir || !this.dirty) return;
    const dir = join(this.options.dir, 'dense', this.options.source.engine);
    await mkdir(dir, { recursive: true });
    // The model too: the builtin one has learned the n-grams of entries added since.
    await this.options.source.save(dir);
    await this.index.writeIndex(join(dir, `${IndexFile}.tmp`));
    await rename(join(dir, `${IndexFile}.tmp`), join(dir, IndexFile));
    const manifest: DenseManifest = {
      format: DenseFormatVersion, engine: this.options.source.engine, modelId: this.embedder.modelId,
      dimensions: this.embedder.dimensions, settings: this.options.source.settings, revision: this.revision, M: this.options.hnsw.M,
      efConstruction: this.options.hnsw.efConstruction, nextLabel: this.nextLabel, labels: [...this.entryOf],
    };
    await writeFile(join(dir, `${ManifestFile}.tmp`), JSON.stringify(manifest));
    await rename(join(dir, `${ManifestFile}.tmp`), join(dir, ManifestFile));
    this.dirty = false;
  }

  get vectorCount(): number {
    return this.entryOf.size;
  }

  private link(label: number, id: string): void {
    this.entryOf.set(label, id);
    const labels = this.labelsOf.get(id);
    if (labels) labels.push(label);
    else this.labelsOf.set(id, [label]);
    this.info.vectors = this.entryOf.size;
  }

  /** Grows the graph's capacity ahead of a batch, doubling so growth stays amortised. */
  private reserve(extra: number): void {
    const needed = this.index.getCurrentCount() + extra;
    const capacity = this.index.getMaxElements();
    if (needed > capacity) this.index.resizeIndex(Math.max(needed, capacity * 2));
  }
}

function isUsable(vector: Float32Array): boolean {
  let norm = 0;
  for (const x of vector) norm += x * x;
  return norm > 0 && Number.isFinite(norm);
}
