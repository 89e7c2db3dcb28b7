// The unanswered inbox (未答问题): citizens' questions the bot did not answer
// well, read from the masked turn log and grouped into clusters of similar
// wording so staff fix a whole family of questions at once.
//
// A turn belongs in the inbox when it fell back, was answered with confidence
// below 0.5, asked a clarifying question the citizen did not resolve in the
// next turn, or gave an answer the citizen then rated 不满意. Evaluation and
// hit-test turns never do.
import { createHash } from 'node:crypto';
import { migrateNamed, type Db } from '../../knowledge/index.ts';
import { wordingKey } from './conflicts.ts';

/** Channels that are staff or machines talking, not citizens. */
export const STAFF_CHANNELS = ['eval', 'hit-test'] as const;
export const LOW_CONFIDENCE = 0.5;
/** Character-bigram Jaccard similarity at or above which two wordings share a cluster. */
export const CLUSTER_SIMILARITY = 0.5;

export type InboxReason = 'fallback' | 'low_confidence' | 'unresolved_clarify' | 'rated_unsatisfied';

export interface InboxTurn {
  seq: number;
  at: string;
  channel: string;
  session: string;
  /** As the citizen typed it, masked at write time. */
  text: string;
  key: string;
  reasons: InboxReason[];
}

export interface InboxCluster {
  /** Stable while the cluster's most asked wording stays the same: a hash of it. */
  id: string;
  /** The most asked wording (masked). */
  text: string;
  count: number;
  sessions: number;
  examples: { text: string; count: number }[];
  reasons: Partial<Record<InboxReason, number>>;
  channels: Record<string, number>;
  firstSeen: string;
  lastSeen: string;
  turns: InboxTurn[];
}

export interface Window {
  from?: string;
  to?: string;
}

const PERSONAL_DATA = /\*{4,}/;

/** A masked wording carries personal data: never a good alternate question. */
export function hasMaskedData(text: string): boolean {
  return PERSONAL_DATA.test(text);
}

function bigrams(key: string): Set<string> {
  const chars = [...key];
  if (chars.length < 2) return new Set(chars);
  return new Set(chars.slice(1).map((c, i) => chars[i]! + c));
}

export function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

export function clusterId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export class Inbox {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    migrateNamed(db, 'staff-inbox', [`
      CREATE TABLE inbox_resolutions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        cluster_key TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('attach', 'new-faq', 'dismiss')),
        entry_id TEXT,
        texts TEXT NOT NULL,
        resolved_by TEXT NOT NULL,
        resolved_at TEXT NOT NULL
      );
      CREATE INDEX inbox_resolutions_cluster ON inbox_resolutions (cluster_key);
      -- Each wording of a resolved cluster, so it leaves the inbox even when the cluster's
      -- leading wording later changes; questions asked after the resolution come back.
      CREATE TABLE inbox_resolved_texts (
        text_key TEXT PRIMARY KEY,
        cluster_key TEXT NOT NULL,
        resolved_at TEXT NOT NULL
      );
      CREATE TABLE suggestion_decisions (
        text_key TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (text_key, entry_id)
      );
    `]);
  }

  /** The inbox's turns, newest first, at most `limit` (resolved ones left out). */
  turns(window: Window = {}, limit = 5000): InboxTurn[] {
    const staff = STAFF_CHANNELS.map(() => '?').join(', ');
    const range = `${window.from ? 'AND t.at >= ?' : ''} ${window.to ? 'AND t.at < ?' : ''}`;
    const args = [...STAFF_CHANNELS, ...(window.from ? [window.from] : []), ...(window.to ? [window.to] : [])];
    const rows = this.db.prepare(`
      SELECT t.seq, t.at, t.channel, t.session, t.text,
        CASE
          WHEN t.kind = 'fallback' THEN 'fallback'
          WHEN t.kind = 'clarify' AND (SELECT n.clarified_from FROM turns n WHERE n.session = t.session AND n.seq > t.seq
            ORDER BY n.seq LIMIT 1) IS NULL THEN 'unresolved_clarify'
          WHEN t.kind = 'answer' AND t.confidence < ${LOW_CONFIDENCE} THEN 'low_confidence'
        END AS reason
      FROM turns t
      WHERE t.channel NOT IN (${staff}) ${range} AND reason IS NOT NULL
      UNION ALL
      SELECT t.seq, t.at, t.channel, t.session, t.text, 'rated_unsatisfied' AS reason
      FROM ratings r JOIN turns t ON t.seq = (
        SELECT x.seq FROM turns x WHERE x.session = r.session AND x.kind IN ('answer', 'guide') AND x.at <= r.at
          AND (r.entry_id IS NULL OR x.entry_id = r.entry_id) ORDER BY x.seq DESC LIMIT 1)
      WHERE r.rating = '不满意' AND r.channel NOT IN (${staff}) ${range}
      ORDER BY seq DESC LIMIT ?`).all(...args, ...args, limit) as (Omit<InboxTurn, 'key' | 'reasons'> & { reason: InboxReason })[];

    const resolved = new Map((this.db.prepare('SELECT text_key, resolved_at FROM inbox_resolved_texts').all() as
      { text_key: string; resolved_at: string }[]).map((r) => [r.text_key, r.resolved_at]));
    const bySeq = new Map<number, InboxTurn>();
    for (const { reason, ...row } of rows) {
      const known = bySeq.get(row.seq);
      if (known) {
        if (!known.reasons.includes(reason)) known.reasons.push(reason);
        continue;
      }
      const key = wordingKey(row.text);
      const resolvedAt = resolved.get(key);
      if (!key || (resolvedAt && resolvedAt >= row.at)) continue;
      bySeq.set(row.seq, { ...row, key, reasons: [reason] });
    }
    return [...bySeq.values()];
  }

  /**
   * Greedy clustering: wordings from the most asked down, each joining the first
   * cluster whose leading wording is similar enough (character-bigram Jaccard),
   * or leading a new one. Comparing with the leader only keeps clusters from
   * drifting through chains of half-similar questions.
   */
  clusters(window: Window = {}): InboxCluster[] {
    const byKey = new Map<string, InboxTurn[]>();
    for (const turn of this.turns(window)) byKey.set(turn.key, [...(byKey.get(turn.key) ?? []), turn]);
    const keys = [...byKey.entries()].sort(([ka, a], [kb, b]) =>
      b.length - a.length || (b[0]!.at < a[0]!.at ? -1 : b[0]!.at > a[0]!.at ? 1 : 0) || (ka < kb ? -1 : 1));
    const groups: { key: string; grams: Set<string>; turns: InboxTurn[] }[] = [];
    for (const [key, turns] of keys) {
      const grams = bigrams(key);
      const home = groups.find((g) => similarity(g.grams, grams) >= CLUSTER_SIMILARITY);
      if (home) home.turns.push(...turns);
      else groups.push({ key, grams, turns: [...turns] });
    }
    return groups.map((g) => this.describe(g.key, g.turns))
      .sort((a, b) => b.count - a.count || (b.lastSeen < a.lastSeen ? -1 : b.lastSeen > a.lastSeen ? 1 : 0));
  }

  find(id: string, window: Window = {}): InboxCluster | null {
    return this.clusters(window).find((c) => c.id === id) ?? null;
  }

  /** Takes the cluster's wordings out of the inbox, recording who did what. */
  resolve(cluster: InboxCluster, action: 'attach' | 'new-faq' | 'dismiss', entryId: string | null, actor: string): void {
    const at = new Date().toISOString();
    const keys = [...new Set(cluster.turns.map((t) => t.key))];
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO inbox_resolutions (cluster_key, action, entry_id, texts, resolved_by, resolved_at)
        VALUES (?, ?, ?, ?, ?, ?)`).run(cluster.id, action, entryId, JSON.stringify(cluster.examples.map((e) => e.text)), actor, at);
      const mark = this.db.prepare(`INSERT INTO inbox_resolved_texts (text_key, cluster_key, resolved_at) VALUES (?, ?, ?)
        ON CONFLICT (text_key) DO UPDATE SET cluster_key = excluded.cluster_key, resolved_at = excluded.resolved_at`);
      for (const key of keys) mark.run(key, cluster.id, at);
    }).immediate();
  }

  resolutions(limit = 100): { clusterId: string; action: string; entryId: string | null; texts: string[]; resolvedBy: string; resolvedAt: string }[] {
    return (this.db.prepare('SELECT * FROM inbox_resolutions ORDER BY seq DESC LIMIT ?').all(limit) as
      { cluster_key: string; action: string; entry_id: string | null; texts: string; resolved_by: string; resolved_at: string }[])
      .map((r) => ({
        clusterId: r.cluster_key, action: r.action, entryId: r.entry_id, texts: JSON.parse(r.texts) as string[],
        resolvedBy: r.resolved_by, resolvedAt: r.resolved_at,
      }));
  }

  private describe(key: string, turns: InboxTurn[]): InboxCluster {
    const texts = new Map<string, number>();
    const reasons: Partial<Record<InboxReason, number>> = {};
    const channels: Record<string, number> = {};
    for (const t of turns) {
      texts.set(t.text, (texts.get(t.text) ?? 0) + 1);
      for (const r of t.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
      channels[t.channel] = (channels[t.channel] ?? 0) + 1;
    }
    const examples = [...texts.entries()].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count);
    const leader = turns.find((t) => t.key === key)!;
    const ats = turns.map((t) => t.at).sort();
    return {
      id: clusterId(key),
      text: examples.find((e) => wordingKey(e.text) === key)?.text ?? leader.text,
      count: turns.length,
      sessions: new Set(turns.map((t) => t.session)).size,
      examples,
      reasons,
      channels,
      firstSeen: ats[0]!,
      lastSeen: ats[ats.length - 1]!,
      turns,
    };
  }
}
