// Suggested alternates from clarifications: when a citizen's wording needed a
// clarifying question and the citizen then picked an entry, that wording is a
// way citizens ask for the entry. Staff accept it (one click: it becomes an
// alternate question, or an alias of a matter) or reject it.
import { entryTitle, type Db, type KnowledgeStore } from '../../knowledge/index.ts';
import { wordingKey, wordingsOf } from './conflicts.ts';
import { hasMaskedData, STAFF_CHANNELS } from './inbox.ts';

export interface Suggestion {
  /** The latest turn that made this suggestion: the id to accept or reject it by. */
  seq: number;
  /** The citizen's wording (masked). */
  text: string;
  entryId: string;
  title: string;
  kind: string;
  /** How many times citizens clarified this wording to this entry. */
  count: number;
  lastSeen: string;
}

interface ClarifiedTurn {
  seq: number;
  at: string;
  text: string;
  entry_id: string;
}

export class Suggestions {
  private readonly db: Db;
  private readonly store: KnowledgeStore;

  /** Uses the inbox's `suggestion_decisions` table: construct the Inbox first. */
  constructor(db: Db, store: KnowledgeStore) {
    this.db = db;
    this.store = store;
  }

  /**
   * Open suggestions, most frequent first. Left out: wordings decided before,
   * wordings the entry already has, wordings with personal data in them, and
   * entries that no longer exist or are deleted.
   */
  list(limit = 5000): Suggestion[] {
    const staff = STAFF_CHANNELS.map(() => '?').join(', ');
    const rows = this.db.prepare(`SELECT seq, at, clarified_from AS text, entry_id FROM turns
      WHERE clarified_from IS NOT NULL AND entry_id IS NOT NULL AND channel NOT IN (${staff})
      ORDER BY seq DESC LIMIT ?`).all(...STAFF_CHANNELS, limit) as ClarifiedTurn[];
    const decided = new Set((this.db.prepare('SELECT text_key, entry_id FROM suggestion_decisions').all() as
      { text_key: string; entry_id: string }[]).map((d) => `${d.text_key}\u0000${d.entry_id}`));
    const groups = new Map<string, Suggestion>();
    for (const row of rows) {
      const key = wordingKey(row.text);
      const id = `${key}\u0000${row.entry_id}`;
      const known = groups.get(id);
      if (known) {
        known.count++;
        continue;
      }
      if (!key || decided.has(id) || hasMaskedData(row.text)) continue;
      const stored = this.store.getLatest(row.entry_id);
      if (!stored || stored.deleted || wordingsOf(stored.entry).some((w) => wordingKey(w) === key)) continue;
      groups.set(id, {
        seq: row.seq, text: row.text, entryId: row.entry_id, title: entryTitle(stored.entry), kind: stored.entry.kind,
        count: 1, lastSeen: row.at,
      });
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || b.seq - a.seq);
  }

  /** The clarified turn a suggestion was made from. */
  turn(seq: number): { seq: number; text: string; entryId: string } | null {
    const row = this.db.prepare('SELECT seq, at, clarified_from AS text, entry_id FROM turns WHERE seq = ? AND clarified_from IS NOT NULL AND entry_id IS NOT NULL')
      .get(seq) as ClarifiedTurn | undefined;
    return row ? { seq: row.seq, text: row.text, entryId: row.entry_id } : null;
  }

  decide(text: string, entryId: string, decision: 'accepted' | 'rejected', actor: string): void {
    this.db.prepare(`INSERT INTO suggestion_decisions (text_key, entry_id, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (text_key, entry_id) DO UPDATE SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at`)
      .run(wordingKey(text), entryId, decision, actor, new Date().toISOString());
  }
}
