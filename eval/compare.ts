// Two runs side by side: the headline figures and what changed.
import { readFile } from 'node:fs/promises';
import type { Report } from './metrics.ts';

const figures: (keyof Report)[] = ['accuracy', 'wrongRate', 'clarifyRate', 'top1', 'top3', 'mrr', 'facetAccuracy', 'oosPass', 'multiTurnAccuracy'];

export async function readReport(file: string): Promise<Report> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Report;
  } catch (error) {
    throw new Error(`${file}: not a readable eval report (${(error as Error).message})`);
  }
}

export function compareReports(a: Report, b: Report, names: [string, string]): string {
  const lines = [`${'figure'.padEnd(18)}${names[0].padStart(14)}${names[1].padStart(14)}${'change'.padStart(10)}`];
  for (const f of figures) {
    const x = Number(a[f] ?? 0);
    const y = Number(b[f] ?? 0);
    lines.push(`${String(f).padEnd(18)}${x.toFixed(4).padStart(14)}${y.toFixed(4).padStart(14)}${(y - x >= 0 ? '+' : '') + (y - x).toFixed(4).padStart(9)}`);
  }
  lines.push(`${'latency p99 ms'.padEnd(18)}${String(a.latencyMs?.p99).padStart(14)}${String(b.latencyMs?.p99).padStart(14)}`);
  const failedA = new Set(a.failures.map((f) => `${f.id}#${f.turn}`));
  const failedB = new Set(b.failures.map((f) => `${f.id}#${f.turn}`));
  const fixed = [...failedA].filter((k) => !failedB.has(k));
  const broken = [...failedB].filter((k) => !failedA.has(k));
  lines.push('', `fixed in ${names[1]}: ${fixed.length}${fixed.length ? ` (${fixed.slice(0, 20).join(', ')})` : ''}`);
  lines.push(`newly failing in ${names[1]}: ${broken.length}${broken.length ? ` (${broken.slice(0, 20).join(', ')})` : ''}`);
  return `${lines.join('\n')}\n`;
}
