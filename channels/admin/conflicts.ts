// The alternate-question check: a wording added to one entry that retrieval
// already answers, confidently, from another entry would make the two compete
// for the same citizens' questions, and one of them would silently lose.
import type { Entry } from '../../knowledge/index.ts';
import { normalize, type Retriever } from '../../retrieval/index.ts';
import { AdminError } from './errors.ts';

export interface Conflict {
  /** The wording that is already taken. */
  text: string;
  entryId: string;
  title: string;
  confidence: number;
}

/** Comparison key of a wording: normalised (script, width, punctuation, fillers) with spaces dropped. */
export function wordingKey(text: string): string {
  return normalize(text).text.replace(/\s+/g, '');
}

/** The wordings citizens reach an entry by. */
export function wordingsOf(entry: Entry): string[] {
  return entry.kind === 'faq' ? [entry.question, ...entry.alternates] : [entry.name, ...entry.aliases];
}

/** Wordings of `next` that `previous` did not already have: only those are checked, so old, accepted overlaps never block an edit. */
export function newWordings(next: Entry, previous: Entry | null): string[] {
  const known = new Set((previous ? wordingsOf(previous) : []).map(wordingKey));
  const seen = new Set<string>();
  return wordingsOf(next).filter((text) => {
    const key = wordingKey(text);
    if (!key || known.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Searches each wording; the top candidate conflicts when it is another entry
 * of the same kind at or above the threshold. Two FAQs (or two matter guides)
 * answering one wording compete, and one of them is never shown. An FAQ whose
 * wording a matter guide answers is not a rival: FAQs are how staff refine a
 * guide's answer to a particular question, and the exact wording then goes to the FAQ.
 */
export async function findConflicts(retriever: Retriever, entry: Entry, texts: string[], threshold: number): Promise<Conflict[]> {
  const conflicts: Conflict[] = [];
  for (const text of texts) {
    const result = await retriever.search(text, { k: 3 });
    const top = result.candidates[0];
    if (!top || top.entryId === entry.id || result.confidence < threshold) continue;
    if (retriever.entry(top.entryId)?.kind !== entry.kind) continue;
    conflicts.push({ text, entryId: top.entryId, title: top.title, confidence: Math.round(result.confidence * 1000) / 1000 });
  }
  return conflicts;
}

/** Refuses the write with 409 ALTERNATE_CONFLICT unless forced. */
export async function assertNoConflicts(retriever: Retriever, entry: Entry, previous: Entry | null,
  options: { force: boolean; threshold: number }): Promise<void> {
  if (options.force) return;
  const conflicts = await findConflicts(retriever, entry, newWordings(entry, previous), options.threshold);
  if (conflicts.length > 0) throw new AdminError('ALTERNATE_CONFLICT', [conflicts.length], { fields: { conflicts } });
}

