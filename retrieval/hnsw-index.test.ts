import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faq } from '../test/fixtures.ts';
import { createAnalyzer } from './analyzer.ts';
import { DenseFormatVersion, type DenseManifest } from './hnsw-index.ts';
import { createRetriever } from './retriever.ts';
import { corpusStore, hashEmbedder } from './testing.ts';

const analyzer = createAnalyzer();
const manifestPath = (dir: string, engine: string): string => join(dir, 'dense', engine, 'manifest.json');

function tamper(dir: string, engine: string, change: (m: DenseManifest) => void): void {
  const manifest = JSON.parse(readFileSync(manifestPath(dir, engine), 'utf8')) as DenseManifest;
  change(manifest);
  writeFileSync(manifestPath(dir, engine), JSON.stringify(manifest));
}

describe('persisted dense index', () => {
  it('is loaded without rebuilding when fresh, and answers the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-hnsw-'));
    const store = corpusStore();
    const first = await createRetriever({ dataDir: dir }, { store, analyzer });
    expect(first.info().dense).toMatchObject({ source: 'built', reason: 'no persisted index' });
    const before = (await first.search('驾驰证', { stages: ['dense'] })).candidates.map((c) => c.entryId);
    await first.close();

    const manifest = JSON.parse(readFileSync(manifestPath(dir, 'builtin'), 'utf8')) as DenseManifest;
    expect(manifest).toMatchObject({ format: DenseFormatVersion, engine: 'builtin', revision: store.revision() });
    expect(new Set(manifest.labels.map(([, id]) => id)).size).toBe(10);

    const second = await createRetriever({ dataDir: dir }, { store, analyzer });
    expect(second.info().dense).toMatchObject({ source: 'loaded', reason: '' });
    expect((await second.search('驾驰证', { stages: ['dense'] })).candidates.map((c) => c.entryId)).toEqual(before);
  });

  it('is rebuilt when the knowledge base moved on since it was saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-hnsw-'));
    const store = corpusStore();
    await (await createRetriever({ dataDir: dir }, { store, analyzer })).close();
    store.create(faq('late', { question: '图书馆几点闭馆？', answer: '晚上九点。' }), { actor: 'staff' });
    const reopened = await createRetriever({ dataDir: dir }, { store, analyzer });
    expect(reopened.info().dense?.source).toBe('built');
    expect(reopened.info().dense?.reason).toMatch(/^revision/);
    expect((await reopened.search('图书馆几点闭馆', { stages: ['dense'] })).candidates[0]?.entryId).toBe('late');
  });

  it('saves incremental changes on close, so the next start loads them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-hnsw-'));
    const store = corpusStore();
    const retriever = await createRetriever({ dataDir: dir }, { store, analyzer });
    store.create(faq('late', { question: '图书馆几点闭馆？', answer: '晚上九点。' }), { actor: 'staff' });
    store.remove('parking-fee', { actor: 'staff' });
    await retriever.refresh();
    await retriever.close();
    const reopened = await createRetriever({ dataDir: dir }, { store, analyzer });
    expect(reopened.info().dense?.source).toBe('loaded');
    const hits = (await reopened.search('图书馆闭馆 停车费缴纳', { stages: ['dense'], k: 10 })).candidates.map((c) => c.entryId);
    expect(hits).toContain('late');
    expect(hits).not.toContain('parking-fee');
  });

  it('is rebuilt when the lexicon changed since it was saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-hnsw-'));
    const store = corpusStore();
    await (await createRetriever({ dataDir: dir }, { store, analyzer })).close();
    const edited = { ...analyzer, version: `${analyzer.version}-edited` };
    const reopened = await createRetriever({ dataDir: dir }, { store, analyzer: edited });
    expect(reopened.info().dense).toMatchObject({ source: 'built', reason: 'embedder settings changed' });
  });

  it('is rebuilt when the manifest names another format, engine or dimension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-hnsw-'));
    const store = corpusStore();
    await (await createRetriever({ dataDir: dir }, { store, analyzer })).close();
    const cases: [(m: DenseManifest) => void, RegExp][] = [
      [(m) => { m.format = DenseFormatVersion - 1; }, /^format/],
      [(m) => { m.engine = 'transformers'; }, /^engine/],
      [(m) => { m.dimensions = 17; }, /^dimension/],
    ];
    for (const [change, reason] of cases) {
      tamper(dir, 'builtin', change);
      const reopened = await createRetriever({ dataDir: dir }, { store, analyzer });
      expect(reopened.info().dense?.source).toBe('built');
      expect(reopened.info().dense?.reason).toMatch(reason);
    }
  });

  it('keeps an external embedder’s index apart and rebuilds it when the model’s dimension changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-hnsw-'));
    const store = corpusStore();
    const deps = { store, analyzer };
    await (await createRetriever({ dataDir: dir, engine: 'transformers' }, { ...deps, embedder: hashEmbedder(32) })).close();
    const same = await createRetriever({ dataDir: dir, engine: 'transformers' }, { ...deps, embedder: hashEmbedder(32) });
    expect(same.info().dense).toMatchObject({ source: 'loaded', engine: 'transformers', dimensions: 32 });
    const wider = await createRetriever({ dataDir: dir, engine: 'transformers' }, { ...deps, embedder: hashEmbedder(48) });
    expect(wider.info().dense).toMatchObject({ source: 'built', dimensions: 48 });
    expect(wider.info().dense?.reason).toMatch(/^dimension 32 is not 48/);
    // The builtin engine's index lives beside it, untouched.
    const builtin = await createRetriever({ dataDir: dir }, deps);
    expect(builtin.info().dense?.reason).toBe('no persisted index');
  });

  it('grows past its initial capacity as entries are added', async () => {
    const store = corpusStore();
    const retriever = await createRetriever({ hnsw: { M: 8, efConstruction: 50, ef: 32 } }, { store, analyzer });
    const before = retriever.info().dense!.vectors;
    store.db.transaction(() => {
      for (let i = 0; i < 1200; i++) store.create(faq(`bulk-${i}`, { question: `第${i}号公告的内容是什么？` }), { actor: 'import' });
    })();
    await retriever.refresh();
    // One vector per question, beyond the initial capacity of 1024.
    expect(retriever.info().dense?.vectors).toBe(before + 1200);
    expect((await retriever.search('第1187号公告')).candidates[0]?.entryId).toBe('bulk-1187');
  });
});
