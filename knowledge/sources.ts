// The import formats by name, as `banshi kb import --format F` and the staff API take them.
import { access } from 'node:fs/promises';
import { KnowledgeError } from './errors.ts';
import { importParsed, type ImportReport } from './import.ts';
import type { KnowledgeStore } from './store.ts';
import type { ParsedSource, SourceParser } from './formats/types.ts';
import { parseGdMatters } from './formats/gd-matters.ts';
import { parseTpeFaq } from './formats/tpe-faq.ts';
import { parseFaqCsv, parseFaqXlsx } from './formats/faq-sheet.ts';
import { parseBanshiJson } from './formats/banshi-json.ts';

export const ImportFormats = ['gd-matters', 'tpe-faq', 'faq-csv', 'faq-xlsx', 'banshi-json'] as const;
export type ImportFormat = (typeof ImportFormats)[number];

const parsers: Record<ImportFormat, SourceParser> = {
  'gd-matters': parseGdMatters,
  'tpe-faq': parseTpeFaq,
  'faq-csv': parseFaqCsv,
  'faq-xlsx': parseFaqXlsx,
  'banshi-json': parseBanshiJson,
};

export function isImportFormat(name: string): name is ImportFormat {
  return (ImportFormats as readonly string[]).includes(name);
}

/** Reads a source file into candidate entries without storing them (benchmarks, previews). */
export async function parseSource(format: ImportFormat, path: string): Promise<ParsedSource> {
  return parsers[format](path);
}

/** Parses a source file and imports it; broken rows are reported, the rest imported. */
export async function importSource(store: KnowledgeStore, format: ImportFormat, path: string, actor: string): Promise<ImportReport> {
  try {
    await access(path);
  } catch (cause) {
    throw new KnowledgeError('BAD_IMPORT', [`${path}: file not found or unreadable`], { cause });
  }
  return importParsed(store, await parsers[format](path), actor);
}
