// The real government data sets live beside the repository, never inside it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA_DIR = fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** The path of a shared data file; fails with a clear message when the folder is missing. */
export function sharedDataPath(name: 'gd-matters.jsonl' | 'tpe-faq.xml'): string {
  const path = SHARED_DATA_DIR + name;
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: tests read the shared data sets from ../shared/data beside the repository`);
  }
  return path;
}
