// Imports a parsed source into the store: validates every record, rejects what is
// broken with its location and reason, and upserts the rest by source id.
import type { KnowledgeStore, ImportOutcome } from './store.ts';
import type { ParsedSource, SourceProblem } from './formats/types.ts';
import { checkEntry } from './validate.ts';

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  problems: SourceProblem[];
}

export function importParsed(store: KnowledgeStore, parsed: ParsedSource, actor: string): ImportReport {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, rejected: 0, problems: [...parsed.problems] };
  report.rejected = parsed.problems.length;
  const firstSeen = new Map<string, string>();
  const outcomes: Record<ImportOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  // One transaction for the whole source: a 2k-entry import is then seconds, not minutes.
  store.db.transaction(() => {
    for (const record of parsed.records) {
      const id = (record.entry as { id?: unknown } | null)?.id;
      const reject = (reason: string): void => {
        report.rejected++;
        report.problems.push({ location: record.location, reason, ...(typeof id === 'string' ? { id } : {}) });
      };
      if (typeof id === 'string' && firstSeen.has(id)) {
        reject(`duplicate id ${id} (first at ${firstSeen.get(id)})`);
        continue;
      }
      const problems = checkEntry(record.entry);
      if (problems.length > 0) {
        reject(problems.map((p) => `${p.field} ${p.message}`).join('; '));
        continue;
      }
      firstSeen.set(id as string, record.location);
      outcomes[store.importEntry(record.entry, actor)]++;
    }
  }).immediate();
  return { ...report, ...outcomes };
}
