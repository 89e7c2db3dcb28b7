// Session ids are issued by the server; an id a client sends back is only used
// when the server issued it, so nobody can step into someone else's conversation
// by guessing or inventing an id.
import { randomBytes } from 'node:crypto';
import { migrateNamed, statement, type Db } from '../knowledge/index.ts';

const LastSeenPrecisionMs = 60_000;
/** Sessions kept in memory; past this the oldest is dropped (its next turn queries again). */
const MaxRemembered = 100_000;

interface Known {
  channel: string;
  /** When last_seen was last written, as far as this process knows (ms). */
  lastSeen: number;
}

export class Sessions {
  private readonly db: Db;
  /**
   * Sessions this process has issued or found: an HTTP client sends its id with every
   * turn, and looking it up cost a turn ~40 µs of SQLite under load. Rows are never
   * deleted, so what is remembered stays true; other workers' sessions are found once.
   */
  private readonly known = new Map<string, Known>();

  constructor(db: Db) {
    this.db = db;
    migrateNamed(db, 'channel-sessions', [`
      CREATE TABLE sessions (id TEXT PRIMARY KEY, channel TEXT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL);
    `]);
  }

  /** The client's session when we issued it for this channel, else a new one. */
  resolve(claimed: string | undefined, channel: string): string {
    const now = Date.now();
    if (claimed) {
      const known = this.known.get(claimed) ?? this.find(claimed);
      if (known?.channel === channel) {
        // To the minute is enough, and spares most turns a write (writes queue up across server processes).
        if (now - known.lastSeen >= LastSeenPrecisionMs) {
          statement(this.db, 'UPDATE sessions SET last_seen = ? WHERE id = ?').run(new Date(now).toISOString(), claimed);
          known.lastSeen = now;
        }
        return claimed;
      }
    }
    return this.issue(channel, now);
  }

  /** A stable session for a channel user id (WeChat OpenID), derived server-side. */
  forUser(channel: string, userKey: string): string {
    const id = `${channel}:${userKey}`;
    const now = Date.now();
    if (now - (this.known.get(id)?.lastSeen ?? 0) >= LastSeenPrecisionMs) {
      const at = new Date(now).toISOString();
      statement(this.db, `INSERT INTO sessions (id, channel, created_at, last_seen) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen`).run(id, channel, at, at);
      this.remember(id, { channel, lastSeen: now });
    }
    return id;
  }

  private find(id: string): Known | undefined {
    const row = statement(this.db, 'SELECT channel, last_seen AS lastSeen FROM sessions WHERE id = ?')
      .get(id) as { channel: string; lastSeen: string } | undefined;
    return row && this.remember(id, { channel: row.channel, lastSeen: Date.parse(row.lastSeen) });
  }

  private remember(id: string, known: Known): Known {
    if (!this.known.has(id) && this.known.size >= MaxRemembered) this.known.delete(this.known.keys().next().value!);
    this.known.set(id, known);
    return known;
  }

  private issue(channel: string, now: number): string {
    const id = randomBytes(16).toString('base64url');
    const at = new Date(now).toISOString();
    statement(this.db, 'INSERT INTO sessions (id, channel, created_at, last_seen) VALUES (?, ?, ?, ?)').run(id, channel, at, at);
    this.remember(id, { channel, lastSeen: now });
    return id;
  }
}
