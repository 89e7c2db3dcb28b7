// `banshi bench`: build time, query latency and memory of the retrieval layer on
// the demo knowledge base, both shared data sets, and a synthetic 100k-entry base.
// Each run is a child process so that its RSS is its own. `--channels` adds the
// HTTP and WebSocket load benchmark (./bench-channels.ts); alone, it runs only that.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DemoFiles, parseSource, type Entry, type ImportFormat } from '../../knowledge/index.ts';
import { benchRetrieval, createAnalyzer, syntheticEntries } from '../../retrieval/index.ts';
import { UsageError, oneOf, parse } from '../args.ts';
import { loadConfig } from '../config.ts';
import { Transports, benchChannels, parseRate, parseSeconds, parseSessions, parseWorkers, serveForBench } from './bench-channels.ts';

const KnowledgeBases = ['demo', 'shared', 'synthetic-100k'] as const;
type KnowledgeBase = (typeof KnowledgeBases)[number];
const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

async function entriesOf(files: [ImportFormat, string][]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const [format, file] of files) entries.push(...(await parseSource(format, file)).records.map((r) => r.entry as Entry));
  return entries;
}

async function knowledgeBase(kb: KnowledgeBase): Promise<Entry[]> {
  if (kb === 'demo') return entriesOf(DemoFiles.map((f) => ['banshi-json', f]));
  const shared = await entriesOf([['gd-matters', `${SHARED}gd-matters.jsonl`], ['tpe-faq', `${SHARED}tpe-faq.xml`]]);
  return kb === 'shared' ? shared : syntheticEntries(shared, 100_000);
}

interface Run {
  kb: string;
  engine: string;
  entries: number;
  buildMs: number;
  queryMs: { p50: number; p99: number };
  rssMb: number;
}

/** One measurement, in this process: what a child runs. */
async function runOne(kb: KnowledgeBase, engine: 'builtin' | 'transformers'): Promise<Run> {
  const entries = await knowledgeBase(kb);
  const config = loadConfig();
  if (engine === 'transformers' && !config.embedModelDir) throw new UsageError('the transformers engine needs EMBED_MODEL_DIR');
  const { createTransformersEmbedder } = await import('../../retrieval/index.ts');
  const embedder = engine === 'transformers' ? await createTransformersEmbedder({ modelDir: config.embedModelDir! }) : undefined;
  const result = await benchRetrieval(entries, { analyzer: createAnalyzer(), engine, ...(embedder ? { embedder } : {}) });
  return { kb, engine, ...result };
}

export async function bench(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'string' }, kb: { type: 'string', multiple: true }, one: { type: 'string' }, engine: { type: 'string' },
    channels: { type: 'boolean' }, seconds: { type: 'string' }, rate: { type: 'string' }, workers: { type: 'string' }, sessions: { type: 'string' },
    'serve-for-bench': { type: 'string' },
  });
  const workers = parseWorkers(values.workers);
  if (values['serve-for-bench']) return serveForBench(resolve(values['serve-for-bench']), workers);
  if (values.one) {
    const run = await runOne(oneOf(values.one, KnowledgeBases, '--one'), oneOf(values.engine ?? 'builtin', ['builtin', 'transformers'] as const, '--engine'));
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return 0;
  }
  const retrieval = !values.channels || values.kb !== undefined;
  const seconds = parseSeconds(values.seconds);
  const kbs = (retrieval ? values.kb ?? [...KnowledgeBases] : []).map((k) => oneOf(k, KnowledgeBases, '--kb'));
  const engines = ['builtin', ...(loadConfig().embedModelDir ? ['transformers'] : [])];
  const bin = fileURLToPath(new URL('../../bin/banshi.js', import.meta.url));
  const runs: Run[] = [];
  process.stdout.write(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
  if (retrieval) process.stdout.write(`${'kb'.padEnd(16)}${'engine'.padEnd(14)}${'entries'.padStart(9)}${'build ms'.padStart(11)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'RSS MB'.padStart(9)}\n`);
  for (const kb of kbs) {
    for (const engine of engines) {
      const { stdout } = await promisify(execFile)(process.execPath, [bin, 'bench', '--one', kb, '--engine', engine],
        { maxBuffer: 16 * 2 ** 20, env: process.env });
      const run = JSON.parse(stdout.trim().split('\n').pop()!) as Run;
      runs.push(run);
      process.stdout.write(`${run.kb.padEnd(16)}${run.engine.padEnd(14)}${String(run.entries).padStart(9)}${run.buildMs.toFixed(0).padStart(11)}`
        + `${run.queryMs.p50.toFixed(2).padStart(9)}${run.queryMs.p99.toFixed(2).padStart(9)}${run.rssMb.toFixed(0).padStart(9)}\n`);
    }
  }
  const channels = values.channels
    ? await benchChannels({
      seconds, warmupSeconds: Math.min(2, seconds), sessions: parseSessions(values.sessions), transports: Transports, workers, rate: parseRate(values.rate),
      out: (line) => process.stdout.write(`${line}\n`),
    })
    : undefined;
  if (values.json) {
    await writeFile(resolve(values.json), `${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, ...(retrieval ? { runs } : {}), ...channels }, null, 2)}\n`);
  }
  return 0;
}
