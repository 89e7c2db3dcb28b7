// Botbuilder's Storage on SQLite, so Botkit's conversation state survives a restart.
import type { Storage, StoreItems } from 'botbuilder-core';
import { migrateNamed, statement, type Db } from '../../knowledge/index.ts';

export class SqliteStorage implements Storage {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    migrateNamed(db, 'bot-storage', [
      'CREATE TABLE bot_storage (key TEXT PRIMARY KEY, etag INTEGER NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL)',
    ]);
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

  /** write() without the Promise: inside a caller's transaction it becomes a savepoint of it. */
  writeNow(changes: StoreItems): void {
    const current = statement(this.db, 'SELECT etag FROM bot_storage WHERE key = ?');
    const upsert = statement(this.db, `INSERT INTO bot_storage (key, etag, data, updated_at) VALUES (?, 1, ?, ?)
      ON CONFLICT (key) DO UPDATE SET etag = etag + 1, data = excluded.data, updated_at = excluded.updated_at`);
    // IMMEDIATE: a read-then-write transaction started as a reader gets SQLITE_BUSY, without waiting,
    // when another server process (WORKERS) wrote in between; taking the write lock first waits instead.
    this.db.transaction(() => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...data } = item as { eTag?: string } & Record<string, unknown>;
        const row = current.get(key) as { etag: number } | undefined;
        // Optimistic concurrency as botbuilder defines it: '*' (or no tag) writes unconditionally.
        if (row && eTag && eTag !== '*' && eTag !== String(row.etag)) {
          throw new Error(`storage conflict on ${key}: etag ${eTag} is stale`);
        }
        upsert.run(key, JSON.stringify(data), new Date().toISOString());
      }
    }).immediate();
  }

  async delete(keys: string[]): Promise<void> {
    const del = statement(this.db, 'DELETE FROM bot_storage WHERE key = ?');
    this.db.transaction(() => { for (const key of keys) del.run(key); }).immediate();
  }
}
