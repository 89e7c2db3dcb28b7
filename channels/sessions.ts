// Session ids are issued by the server; an id a client sends back is only used
// when the server issued it, so nobody can step into someone else's conversation
// by guessing or inventing an id.
import { randomBytes } from 'node:crypto';
import { migrateNamed, statement, type Db } from '../knowledge/index.ts';

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
    const now = new Date().toISOString();
    if (claimed) {
      const touched = statement(this.db, 'UPDATE sessions SET last_seen = ? WHERE id = ? AND channel = ?').run(now, claimed, channel);
      if (touched.changes === 1) return claimed;
    }
    return this.issue(channel, now);
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
