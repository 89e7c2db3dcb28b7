// The bundled demo knowledge base (示例市): loaded on first start so a fresh
// install already answers. It is example data; the local portal is authoritative.
import { fileURLToPath } from 'node:url';
import { importParsed, type ImportReport } from './import.ts';
import { parseBanshiJson } from './formats/banshi-json.ts';
import type { KnowledgeStore } from './store.ts';

export const DemoFiles = ['matters.json', 'faqs.json'].map((name) => fileURLToPath(new URL(`./demo/${name}`, import.meta.url)));

/** Imports the demo files into the store. */
export async function importDemo(store: KnowledgeStore): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const file of DemoFiles) reports.push(importParsed(store, await parseBanshiJson(file), 'demo-seed'));
  return reports;
}

/** Seeds the demo only into a database that has never held an entry. */
export async function seedDemoIfEmpty(store: KnowledgeStore): Promise<boolean> {
  if (!store.isEmpty()) return false;
  await importDemo(store);
  return true;
}
