// Botbuilder's storage contract on SQLite: optimistic concurrency by eTag, and
// writes that join a caller's transaction.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../knowledge/index.ts';
import { SqliteStorage } from './sqlite-storage.ts';

describe('SqliteStorage', () => {
  it('refuses a write with a stale eTag and accepts the current one or "*"', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    await storage.write({ k: { n: 1 } });
    const read = (await storage.read(['k']))['k'];
    expect(read).toEqual({ n: 1, eTag: '1' });
    // Another process wrote in between: the tag this one read is stale.
    await storage.write({ k: { n: 2, eTag: '1' } });
    await expect(storage.write({ k: { n: 3, eTag: '1' } })).rejects.toThrow(/stale/);
    await storage.write({ k: { n: 4, eTag: '*' } });
    expect((await storage.read(['k']))['k']).toEqual({ n: 4, eTag: '3' });
  });

  it('rolls a synchronous write back with the transaction it joined', () => {
    const db = openDatabase(':memory:');
    const storage = new SqliteStorage(db);
    expect(() => db.transaction(() => {
      storage.writeNow({ k: { n: 1 } });
      throw new Error('the turn log failed');
    }).immediate()).toThrow('the turn log failed');
    expect(db.prepare('SELECT count(*) FROM bot_storage').pluck().get()).toBe(0);
  });
});
