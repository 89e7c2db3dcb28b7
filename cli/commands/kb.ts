// `banshi kb import|export|stats`: the operator's knowledge-base commands.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ExportFormats, ImportFormats, KnowledgeStore, exportKnowledge, importSource, openDatabase,
} from '../../knowledge/index.ts';
import { UsageError, oneOf, parse } from '../args.ts';
import { databasePath, loadConfig } from '../config.ts';

function openStore(db: string | undefined): KnowledgeStore {
  return new KnowledgeStore(openDatabase(db ? resolve(db) : databasePath(loadConfig())));
}

async function kbImport(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, db: { type: 'string' } });
  const format = oneOf(values.format, ImportFormats, '--format');
  if (positionals.length !== 1) throw new UsageError('give exactly one PATH to import');
  const path = resolve(positionals[0]!);
  const store = openStore(values.db);
  const started = performance.now();
  const report = await importSource(store, format, path, `import:${format}`);
  const accepted = report.created + report.updated + report.unchanged;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${format} ${path}: ${accepted} entries (created ${report.created}, updated ${report.updated}, `
    + `unchanged ${report.unchanged}), rejected ${report.rejected}, in ${seconds}s\n`);
  for (const problem of report.problems.slice(0, 50)) {
    process.stdout.write(`  rejected ${problem.location}${problem.id ? ` (${problem.id})` : ''}: ${problem.reason}\n`);
  }
  if (report.problems.length > 50) process.stdout.write(`  … and ${report.problems.length - 50} more\n`);
  store.db.close();
  return 0;
}

async function kbExport(args: string[]): Promise<number> {
  const { values } = parse(args, { format: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } });
  const format = oneOf(values.format, ExportFormats, '--format');
  if (format === 'xlsx' && !values.out) throw new UsageError('--out FILE is required for xlsx');
  const store = openStore(values.db);
  const result = await exportKnowledge(store, format);
  store.db.close();
  if (values.out) {
    await writeFile(resolve(values.out), result.data);
    process.stderr.write(`exported ${result.count} entries to ${values.out}`
      + `${result.skipped ? ` (${result.skipped} matter guides are only in the json format)` : ''}\n`);
  } else {
    process.stdout.write(result.data);
  }
  return 0;
}

async function kbStats(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' } });
  const store = openStore(values.db);
  const stats = store.stats();
  store.db.close();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    return 0;
  }
  const table = (title: string, counts: Record<string, number>): string =>
    `${title}:\n${Object.entries(counts).map(([k, n]) => `  ${String(n).padStart(6)}  ${k}`).join('\n')}\n`;
  process.stdout.write(`total: ${stats.total} (deleted: ${stats.deleted}, revision ${stats.revision})\n`
    + table('by kind', stats.byKind) + table('by source', stats.bySource) + table('by status', stats.byStatus)
    + table('by department (top 15)', Object.fromEntries(Object.entries(stats.byDepartment).slice(0, 15))));
  return 0;
}

export async function kb(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'import': return kbImport(rest);
    case 'export': return kbExport(rest);
    case 'stats': return kbStats(rest);
    default: throw new UsageError('kb needs a subcommand: import, export or stats');
  }
}
