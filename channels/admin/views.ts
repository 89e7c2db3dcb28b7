// How stored entries look in staff API answers: one shape for a write's result,
// a short row for lists.
import { entryTitle, type StoredEntry } from '../../knowledge/index.ts';

export interface EntryView {
  id: string;
  kind: string;
  /** The newest version number: send it back in If-Match to edit. */
  version: number;
  /** Status of the newest version: a draft waits beside the live one. */
  status: string;
  /** The version citizens are answered from; null when never published. */
  publishedVersion: number | null;
  deleted: boolean;
  updatedAt: string;
  updatedBy: string;
  entry: StoredEntry['entry'];
}

export function entryView(stored: StoredEntry): EntryView {
  return {
    id: stored.entry.id, kind: stored.entry.kind, version: stored.version, status: stored.status,
    publishedVersion: stored.publishedVersion, deleted: stored.deleted, updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy, entry: stored.entry,
  };
}

export function entryRow(stored: StoredEntry): Omit<EntryView, 'entry'> & { title: string; department: string | null; source: string; tags: string[] } {
  const { entry: _entry, ...rest } = entryView(stored);
  return {
    ...rest, title: entryTitle(stored.entry), department: stored.entry.department ?? null,
    source: stored.entry.source, tags: stored.entry.tags,
  };
}
