import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../knowledge/index.ts';
import { WechatState, messageKey } from './dedupe.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two connections to one file: two server processes as WORKERS runs them. */
function twoProcesses(now: () => number): [WechatState, WechatState] {
  const dir = mkdtempSync(join(tmpdir(), 'banshi-wechat-state-'));
  dirs.push(dir);
  const open = (): WechatState => {
    const db = openDatabase(join(dir, 'banshi.db'));
    dbs.push(db);
    return new WechatState(db, { exchangeTtlMs: 1000, choicesTtlMs: 500, now });
  };
  return [open(), open()];
}

describe('WechatState', () => {
  it('lets one try answer a message and shows the answer to a retry that reaches another process', () => {
    const [a, b] = twoProcesses(Date.now);
    expect(a.claim('msg:1')).toBe(true);
    expect(b.claim('msg:1')).toBe(false);
    expect(b.get('msg:1')).toEqual({ state: 'pending' });
    a.answered('msg:1', '答案');
    expect(b.get('msg:1')).toEqual({ state: 'answered', content: '答案' });
    expect(b.claim('msg:2')).toBe(true);
  });

  it('hands a message to the customer-service API only when its answer has not come first, never both', () => {
    const [a, b] = twoProcesses(Date.now);
    a.claim('msg:late');
    expect(a.markLate('msg:late')).toBe(true);
    a.answered('msg:late', '迟到的答案');
    expect(b.get('msg:late')).toEqual({ state: 'late' });

    a.claim('msg:quick');
    a.answered('msg:quick', '答案');
    expect(a.markLate('msg:quick')).toBe(false);
    expect(b.get('msg:quick')).toEqual({ state: 'answered', content: '答案' });
  });

  it('forgets a message after its TTL, so the key can be claimed again', () => {
    let now = 10_000;
    const [a] = twoProcesses(() => now);
    a.claim('msg:old');
    a.answered('msg:old', '答案');
    now += 999;
    expect(a.claim('msg:old')).toBe(false);
    now += 1;
    expect(a.get('msg:old')).toBeUndefined();
    expect(a.claim('msg:old')).toBe(true);
  });

  it('keeps the numbered options last shown to a session, for every process, until they expire or are replaced', () => {
    let now = 10_000;
    const [a, b] = twoProcesses(() => now);
    a.setChoices('wechat:o1', ['办理材料', '转人工']);
    expect(b.choices('wechat:o1')).toEqual(['办理材料', '转人工']);
    b.setChoices('wechat:o1', []);
    expect(a.choices('wechat:o1')).toEqual([]);
    a.setChoices('wechat:o1', ['收费标准']);
    now += 500;
    expect(b.choices('wechat:o1')).toEqual([]);
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
