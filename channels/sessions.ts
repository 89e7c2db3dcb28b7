// Session ids are issued by the server; an id a client sends back is only used
// when the server issued it, so nobody can step into someone else's conversation
// by guessing or inventing an id.
import { randomBytes } from 'node:crypto';
import { migrateNamed, statement, type Db } from '../knowledge/index.ts';

const LastSeenPrecisionMs = 60_000;

export class Sessions {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    migrateNamed(db, 'channel-sessions', [`
      CREATE TABLE sessions (id TEXT PRIMARY KEY, channel TEXT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL);
    `]);
  }

  /** The client's session when we issued it for this channel, else a new one. */
  resolve(claimed: string | undefined, channel: string): string {
    const now = new Date();
    if (claimed) {
      const known = statement(this.db, 'SELECT last_seen AS lastSeen FROM sessions WHERE id = ? AND channel = ?')
        .get(claimed, channel) as { lastSeen: string } | undefined;
      if (known) {
        // To the minute is enough, and spares most turns a write (writes queue up across server processes).
        if (now.getTime() - Date.parse(known.lastSeen) >= LastSeenPrecisionMs) {
          statement(this.db, 'UPDATE sessions SET last_seen = ? WHERE id = ?').run(now.toISOString(), claimed);
        }
        return claimed;
      }
    }
    return this.issue(channel, now.toISOString());
  }

  /** A stable session for a channel user id (WeChat OpenID), derived server-side. */
  forUser(channel: string, userKey: string): string {
    const id = `${channel}:${userKey}`;
    const now = new Date().toISOString();
    statement(this.db, `INSERT INTO sessions (id, channel, created_at, last_seen) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen`).run(id, channel, now, now);
    return id;
  }

  private issue(channel: string, now: string): string {
    const id = randomBytes(16).toString('base64url');
    statement(this.db, 'INSERT INTO sessions (id, channel, created_at, last_seen) VALUES (?, ?, ?, ?)').run(id, channel, now, now);
    return id;
  }
}
