// Adding citizens' wordings to an entry: alternates of an FAQ, aliases of a
// matter guide. Shared by the inbox's attach and the suggestions' accept.
import type { FastifyRequest } from 'fastify';
import type { Entry, StoredEntry } from '../../knowledge/index.ts';
import { assertNoConflicts, wordingKey, wordingsOf } from './conflicts.ts';
import { actorOf, forced, ifMatch, type AdminContext } from './context.ts';
import { AdminError } from './errors.ts';
import { hasMaskedData } from './inbox.ts';

export interface WordingsAdded {
  stored: StoredEntry;
  added: string[];
  /** Wordings not added: already there, or carrying (masked) personal data. */
  skipped: string[];
}

/**
 * Adds the wordings the entry lacks, checked for conflicts like any FAQ edit.
 * On top of a pending draft the change stays a draft: publishing it here would
 * also publish the draft's unreviewed content.
 */
export async function addWordings(admin: AdminContext, request: FastifyRequest, entryId: string, texts: string[]): Promise<WordingsAdded> {
  const { store, retriever } = admin.ctx;
  const current = store.getLatest(entryId);
  if (!current) throw new AdminError('NOT_FOUND', [`条目 ${entryId}`]);
  const known = new Set(wordingsOf(current.entry).map(wordingKey));
  const added: string[] = [];
  const skipped: string[] = [];
  for (const raw of texts) {
    const text = raw.trim();
    const key = wordingKey(text);
    if (!key || known.has(key) || hasMaskedData(text)) {
      skipped.push(text);
      continue;
    }
    known.add(key);
    added.push(text);
  }
  if (added.length === 0) return { stored: current, added, skipped };
  const next: Entry = current.entry.kind === 'faq'
    ? { ...current.entry, alternates: [...current.entry.alternates, ...added] }
    : { ...current.entry, aliases: [...current.entry.aliases, ...added] };
  await assertNoConflicts(retriever, next, current.entry, { force: forced(request.query), threshold: admin.settings.conflictThreshold });
  const stored = store.update(entryId, next, {
    actor: actorOf(request), expectedVersion: ifMatch(request) ?? current.version, status: current.status,
  });
  await retriever.refresh();
  return { stored, added, skipped };
}
