// Botbuilder's Storage on SQLite, so Botkit's conversation state survives a restart.
import type { Storage, StoreItems } from 'botbuilder-core';
import { migrateNamed, statement, type Db } from '../../knowledge/index.ts';

export class SqliteStorage implements Storage {
  private readonly db: Db;
  // Built once: better-sqlite3 wraps a transaction function anew on every db.transaction() call (~6 µs).
  /** write() without the Promise: inside a caller's transaction it becomes a savepoint of it. */
  readonly writeNow: (changes: StoreItems) => void;
  private readonly deleteAll: (keys: string[]) => void;

  constructor(db: Db) {
    this.db = db;
    migrateNamed(db, 'bot-storage', [
      'CREATE TABLE bot_storage (key TEXT PRIMARY KEY, etag INTEGER NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL)',
    ]);
    const current = statement(db, 'SELECT etag FROM bot_storage WHERE key = ?');
    const upsert = statement(db, `INSERT INTO bot_storage (key, etag, data, updated_at) VALUES (?, 1, ?, ?)
      ON CONFLICT (key) DO UPDATE SET etag = etag + 1, data = excluded.data, updated_at = excluded.updated_at`);
    const del = statement(db, 'DELETE FROM bot_storage WHERE key = ?');
    const writeAll = db.transaction((changes: StoreItems) => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...data } = item as { eTag?: string } & Record<string, unknown>;
        // Optimistic concurrency as botbuilder defines it: '*' (or no tag) writes unconditionally.
        if (eTag && eTag !== '*') {
          const row = current.get(key) as { etag: number } | undefined;
          if (row && eTag !== String(row.etag)) throw new Error(`storage conflict on ${key}: etag ${eTag} is stale`);
        }
        upsert.run(key, JSON.stringify(data), new Date().toISOString());
      }
    });
    const deleteAll = db.transaction((keys: string[]) => { for (const key of keys) del.run(key); });
    // IMMEDIATE: a read-then-write transaction started as a reader gets SQLITE_BUSY, without waiting,
    // when another server process (WORKERS) wrote in between; taking the write lock first waits instead.
    this.writeNow = (changes) => writeAll.immediate(changes);
    this.deleteAll = (keys) => deleteAll.immediate(keys);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    const get = statement(this.db, 'SELECT etag, data FROM bot_storage WHERE key = ?');
    for (const key of keys) {
      const row = get.get(key) as { etag: number; data: string } | undefined;
      if (row) items[key] = { ...JSON.parse(row.data), eTag: String(row.etag) };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    this.writeNow(changes);
  }

  async delete(keys: string[]): Promise<void> {
    this.deleteAll(keys);
  }

  /** Deletes every key that starts with the prefix: a key range rather than LIKE, whose % and _ a key may contain. */
  deletePrefix(prefix: string): void {
    statement(this.db, 'DELETE FROM bot_storage WHERE key >= ? AND key < ?').run(prefix, `${prefix}\u{10FFFF}`);
  }
}
