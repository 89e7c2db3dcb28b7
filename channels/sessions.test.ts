import { afterEach, describe, expect, it, vi } from 'vitest';
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
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      db = openDatabase(':memory:');
      const sessions = new Sessions(db);
      const id = sessions.resolve(undefined, 'web');
      const issued = lastSeen(id);
      vi.advanceTimersByTime(30_000);
      sessions.resolve(id, 'web');
      expect(lastSeen(id)).toBe(issued);
      vi.advanceTimersByTime(31_000);
      sessions.resolve(id, 'web');
      expect(lastSeen(id)).toBe(new Date().toISOString());
    } finally {
      vi.useRealTimers();
    }
  });

  it('continues a session another server process issued, on its channel only', () => {
    db = openDatabase(':memory:');
    const issued = new Sessions(db).resolve(undefined, 'kiosk');
    const other = new Sessions(db);
    expect(other.resolve(issued, 'web')).not.toBe(issued);
    expect(other.resolve(issued, 'kiosk')).toBe(issued);
  });

  it('keeps one session per WeChat user and records when it was last seen, to the minute', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      db = openDatabase(':memory:');
      const sessions = new Sessions(db);
      const id = sessions.forUser('wechat', 'openid-1');
      const first = lastSeen(id);
      vi.advanceTimersByTime(30_000);
      expect(sessions.forUser('wechat', 'openid-1')).toBe(id);
      expect(lastSeen(id)).toBe(first);
      vi.advanceTimersByTime(31_000);
      sessions.forUser('wechat', 'openid-1');
      expect(lastSeen(id)).toBe(new Date().toISOString());
      expect(new Sessions(db).forUser('wechat', 'openid-1')).toBe(id);
    } finally {
      vi.useRealTimers();
    }
  });
});
