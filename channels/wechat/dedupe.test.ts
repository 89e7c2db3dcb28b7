import { describe, expect, it } from 'vitest';
import { Dedupe, TtlCache, messageKey } from './dedupe.ts';

describe('TtlCache', () => {
  it('forgets entries after their TTL', () => {
    let now = 1000;
    const cache = new TtlCache<string>({ maxEntries: 10, ttlMs: 100, now: () => now });
    cache.set('a', 'x');
    now = 1099;
    expect(cache.get('a')).toBe('x');
    now = 1100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new TtlCache<number>({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([undefined, 2, 3, 2]);
  });
});

describe('Dedupe', () => {
  it('starts the work once and gives a retry the same promise, even while it is still running', async () => {
    const dedupe = new Dedupe<Promise<string>>({ maxEntries: 10, ttlMs: 1000 });
    let runs = 0;
    let finish: (v: string) => void = () => {};
    const start = (): Promise<string> => { runs++; return new Promise((resolve) => { finish = resolve; }); };
    const first = dedupe.run('msg:1', start);
    const retry = dedupe.run('msg:1', start);
    expect([first.first, retry.first, runs]).toEqual([true, false, 1]);
    expect(retry.value).toBe(first.value);
    finish('answer');
    expect(await retry.value).toBe('answer');
    expect(dedupe.run('msg:2', start).first).toBe(true);
  });
});

describe('messageKey', () => {
  it('uses MsgId for messages and sender + time + event for events', () => {
    expect(messageKey({ MsgId: '123', FromUserName: 'o1', CreateTime: '9' })).toBe('msg:123');
    expect(messageKey({ FromUserName: 'o1', CreateTime: '9', Event: 'CLICK', EventKey: 'HUMAN' }))
      .not.toBe(messageKey({ FromUserName: 'o2', CreateTime: '9', Event: 'CLICK', EventKey: 'HUMAN' }));
    expect(messageKey({ FromUserName: 'o1', CreateTime: '9', Event: 'subscribe' }))
      .toBe(messageKey({ FromUserName: 'o1', CreateTime: '9', Event: 'subscribe' }));
  });
});
