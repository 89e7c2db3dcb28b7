// Exports what citizens are answered from, in a format import reads back.
import { KnowledgeError } from './errors.ts';
import type { Faq } from './model.ts';
import type { KnowledgeStore } from './store.ts';
import { writeBanshiJson } from './formats/banshi-json.ts';
import { writeFaqCsv, writeFaqXlsx } from './formats/faq-sheet.ts';

export const ExportFormats = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof ExportFormats)[number];

export interface ExportResult {
  data: string | Buffer;
  /** Entries written. */
  count: number;
  /** Live entries the format cannot hold: matters, for the FAQ sheet formats. */
  skipped: number;
}

/**
 * Exports the live (published, not deleted) entries: json as banshi-json with
 * every entry, csv and xlsx as the FAQ sheet with the FAQ entries only.
 */
export async function exportKnowledge(store: KnowledgeStore, format: ExportFormat,
  options: { exportedAt?: string } = {}): Promise<ExportResult> {
  // Checked at run time too: the format usually comes from a command line.
  if (!(ExportFormats as readonly string[]).includes(format)) throw new KnowledgeError('UNKNOWN_FORMAT', [String(format)]);
  const entries = [...store.liveEntries()];
  if (format === 'json') return { data: writeBanshiJson(entries, options), count: entries.length, skipped: 0 };
  const faqs = entries.filter((e): e is Faq => e.kind === 'faq');
  const data = format === 'csv' ? writeFaqCsv(faqs) : await writeFaqXlsx(faqs);
  return { data, count: faqs.length, skipped: entries.length - faqs.length };
}
