import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../knowledge/index.ts';
import { Sessions } from './sessions.ts';

let db: Db;
afterEach(() => db?.close());

const lastSeen = (id: string): string => (db.prepare('SELECT last_seen AS t FROM sessions WHERE id = ?').get(id) as { t: string }).t;

describe('Sessions', () => {
  it('continues a session it issued, and gives a new one for an id it never issued or issued to another channel', () => {
    db = openDatabase(':memory:');
    const sessions = new Sessions(db);
    const issued = sessions.resolve(undefined, 'web');
    expect(sessions.resolve(issued, 'web')).toBe(issued);
    const invented = sessions.resolve('made-up-id', 'web');
    expect(invented).not.toBe('made-up-id');
    expect(sessions.resolve(issued, 'kiosk')).not.toBe(issued);
  });

  it('records when a session was last seen, to the minute', () => {
    db = openDatabase(':memory:');
    const sessions = new Sessions(db);
    const id = sessions.resolve(undefined, 'web');
    const recent = new Date(Date.now() - 30_000).toISOString();
    db.prepare('UPDATE sessions SET last_seen = ? WHERE id = ?').run(recent, id);
    sessions.resolve(id, 'web');
    expect(lastSeen(id)).toBe(recent);
    db.prepare('UPDATE sessions SET last_seen = ? WHERE id = ?').run('2026-01-01T00:00:00.000Z', id);
    sessions.resolve(id, 'web');
    expect(Date.now() - Date.parse(lastSeen(id))).toBeLessThan(5_000);
  });
});
