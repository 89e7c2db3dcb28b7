// `banshi eval`: the answer-accuracy suite over case files (CONTRACTS §4).
// Exit 0 when it ran, whatever the scores; 2 on bad arguments or unreadable files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareReports, readCases, readReport, renderHtml, runCases, summarize, CaseFileError, type EvalCase } from '../../eval/index.ts';
import { KnowledgeStore, entryTitle, importSource, isImportFormat, openDatabase, ImportFormats } from '../../knowledge/index.ts';
import { UsageError, oneOf, parse } from '../args.ts';
import { perturbedQuery, seededRandom } from '../../retrieval/index.ts';
import { openStack, type Stack } from '../stack.ts';

const StageSets = ['bm25', 'dense', 'hybrid'] as const;

async function loadCases(files: string[]): Promise<EvalCase[]> {
  const cases: EvalCase[] = [];
  for (const file of files) {
    try {
      cases.push(...await readCases(resolve(file)));
    } catch (error) {
      if (error instanceof CaseFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  return cases;
}

/** --import F:PATH … into a fresh temporary database. */
async function importFresh(specs: string[], dir: string): Promise<string> {
  const dbFile = join(dir, 'eval.db');
  const store = new KnowledgeStore(openDatabase(dbFile));
  for (const spec of specs) {
    const at = spec.indexOf(':');
    const format = spec.slice(0, at);
    if (at < 1 || !isImportFormat(format)) throw new UsageError(`--import takes FORMAT:PATH with FORMAT one of ${ImportFormats.join(', ')}, not "${spec}"`);
    try {
      const report = await importSource(store, format, resolve(spec.slice(at + 1)), `eval-import:${format}`);
      process.stderr.write(`imported ${format}: ${report.created + report.updated + report.unchanged} entries, ${report.rejected} rejected\n`);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  store.db.close();
  return dbFile;
}

export async function evaluate(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    cases: { type: 'string', multiple: true }, import: { type: 'string', multiple: true }, db: { type: 'string' },
    json: { type: 'string' }, html: { type: 'string' }, stages: { type: 'string' }, compare: { type: 'string' },
  });
  if (values.compare) {
    if (positionals.length !== 1) throw new UsageError('--compare takes two report files: --compare A.json B.json');
    const [a, b] = [values.compare, positionals[0]!];
    try {
      process.stdout.write(compareReports(await readReport(a), await readReport(b), [a, b]));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return 0;
  }
  if (!values.cases?.length) throw new UsageError('give at least one --cases FILE (JSON Lines)');
  if (values.db && values.import?.length) throw new UsageError('use either --db or --import, not both');
  const stages = values.stages ? oneOf(values.stages, StageSets, '--stages') : 'hybrid';
  const cases = await loadCases(values.cases);

  const temp = await mkdtemp(join(tmpdir(), 'banshi-eval-'));
  try {
    const dbFile = values.import?.length ? await importFresh(values.import, temp)
      : values.db ? resolve(values.db) : join(temp, 'demo.db');
    const setup = values.import?.length ? `imported ${values.import.join(', ')}` : values.db ? `database ${values.db}` : 'bundled demo knowledge base';
    const stack = await openStack({
      dbFile, seedDemo: !values.db && !values.import?.length,
      retrieval: { stages: stages === 'hybrid' ? ['bm25', 'dense'] : [stages] },
    });
    process.stderr.write(`running ${cases.length} cases against ${stack.retriever.size()} entries (${setup}, stages: ${stages})\n`);
    await warmUp(stack);
    const run = await runCases(stack.bot, cases, (done) => {
      if (done % 100 === 0) process.stderr.write(`  ${done}/${cases.length}\n`);
    });
    const report = summarize(run);
    const titleOf = (id: string): string | null => {
      const entry = stack.retriever.entry(id);
      return entry ? entryTitle(entry) : null;
    };
    await stack.close();
    const { latencies: _omit, ...figures } = report;
    process.stdout.write(`${JSON.stringify({ ...figures, failures: figures.failures.length }, null, 2)}\n`);
    if (values.json) await writeFile(resolve(values.json), `${JSON.stringify(report, null, 2)}\n`);
    if (values.html) {
      await writeFile(resolve(values.html), renderHtml(report, {
        title: 'Banshi answer-accuracy report 办事答复准确率报告', titleOf, generatedAt: new Date().toISOString(), setup: `${setup}; stages ${stages}`,
      }));
    }
    return 0;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * A hundred turns on queries made from the knowledge base itself (never from the
 * cases), so the JIT, the segmenter and the lazily built tables are warm, as in a
 * running server, and the first cases' latency does not stand for the rest.
 */
async function warmUp(stack: Stack): Promise<void> {
  const entries = [...stack.store.liveEntries()];
  const random = seededRandom(7);
  for (let i = 0; i < 100 && entries.length > 0; i++) {
    const text = perturbedQuery(entries[Math.floor(random() * entries.length)]!, random);
    await stack.bot.handleMessage({ session: `eval-warmup-${i}`, channel: 'eval', text });
  }
}
