// Who may call the staff API: the operator's token, staff sessions by role,
// wrong passwords and the login lock, and what happens without ADMIN_TOKEN.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/harness.ts';
import { StaffAccounts } from './accounts.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { call, OPERATOR_TOKEN, staffToken } from './testing.ts';

let app: FastifyInstance;
let viewer: string;
let editor: string;
let reviewer: string;

const newFaq = (question: string): Record<string, unknown> => ({ question, alternates: [], answer: `关于${question}的答复。` });

beforeAll(async () => {
  ({ app } = await testApp({ adminToken: OPERATOR_TOKEN }));
  viewer = await staffToken(app, 'wang.viewer', 'viewer');
  editor = await staffToken(app, 'li.editor', 'editor');
  reviewer = await staffToken(app, 'zhao.reviewer', 'reviewer');
});

afterAll(async () => {
  await app.close();
});

describe('credentials', () => {
  it('refuses calls without a token or with a wrong one (401)', async () => {
    expect((await call(app, '/api/admin/entries', { token: null })).statusCode).toBe(401);
    const bad = await call(app, '/api/admin/faqs', { token: 'not-the-token', body: newFaq('无效凭证') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it('asks for credentials before telling whether a staff path exists', async () => {
    expect((await call(app, '/api/admin/no-such-thing', { token: null })).statusCode).toBe(401);
    expect((await call(app, '/api/admin/no-such-thing')).statusCode).toBe(404);
  });

  it('lets staff change their own password, which ends their sessions', async () => {
    const token = await staffToken(app, 'wu', 'viewer', 'first-password');
    const wrong = await call(app, '/api/admin/me/password', { token, method: 'PUT', body: { current: 'not-it-at-all', password: 'second-password' } });
    expect(wrong.statusCode).toBe(401);
    const changed = await call(app, '/api/admin/me/password', { token, method: 'PUT', body: { current: 'first-password', password: 'second-password' } });
    expect(changed.statusCode).toBe(200);
    expect((await call(app, '/api/admin/me', { token })).statusCode).toBe(401);
    expect((await call(app, '/api/admin/login', { token: null, body: { username: 'wu', password: 'second-password' } })).statusCode).toBe(200);
  });

  it('lets ADMIN_TOKEN act as the operator with the admin role', async () => {
    const me = await call(app, '/api/admin/me');
    expect(me.json()).toEqual({ username: 'operator', role: 'admin', via: 'operator' });
  });

  it('logs staff in with a session token and out again', async () => {
    const token = await staffToken(app, 'chen', 'viewer', 'pass-word-1');
    expect((await call(app, '/api/admin/me', { token })).json()).toEqual({ username: 'chen', role: 'viewer', via: 'session' });
    expect((await call(app, '/api/admin/logout', { token, method: 'POST' })).statusCode).toBe(204);
    expect((await call(app, '/api/admin/me', { token })).statusCode).toBe(401);
  });

  it('answers a bad password with 401 and locks the name and address after five failures (429)', async () => {
    await staffToken(app, 'sun', 'editor', 'right-password');
    const attempt = (password: string): ReturnType<typeof call> =>
      call(app, '/api/admin/login', { token: null, body: { username: 'sun', password } });
    for (let i = 1; i <= 5; i++) {
      const failed = await attempt(`wrong-${i}`);
      expect(failed.statusCode).toBe(401);
      expect(failed.json()).toMatchObject({ error: 'BAD_CREDENTIALS', remainingAttempts: 5 - i });
    }
    // Locked now: even the right password waits.
    const locked = await attempt('right-password');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: 'LOGIN_LOCKED' });
    expect(locked.json<{ message: string }>().message).toContain('15 分钟');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // Unknown usernames fail the same way, so they cannot be told apart.
    const ghost = await call(app, '/api/admin/login', { token: null, body: { username: 'nobody', password: 'whatever1' } });
    expect(ghost.statusCode).toBe(401);
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const token = await staffToken(app, 'zhou', 'editor', 'zhou-password');
    const disabled = await call(app, '/api/admin/users/zhou', { method: 'PUT', body: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    expect((await call(app, '/api/admin/me', { token })).statusCode).toBe(401);
    const login = await call(app, '/api/admin/login', { token: null, body: { username: 'zhou', password: 'zhou-password' } });
    expect(login.statusCode).toBe(403);
    expect(login.json()).toMatchObject({ error: 'ACCOUNT_DISABLED' });
  });
});

describe('roles', () => {
  it('lets a viewer read but not edit (403 naming the action)', async () => {
    expect((await call(app, '/api/admin/me', { token: viewer })).statusCode).toBe(200);
    const refused = await call(app, '/api/admin/faqs', { token: viewer, body: newFaq('查看员不能新建') });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'FORBIDDEN', action: 'edit', role: 'viewer', required: 'editor' });
    expect(refused.json<{ message: string }>().message).toContain('编辑、删除或恢复条目');
  });

  it('lets an editor write a draft but not publish it (403), and a reviewer publish it', async () => {
    const created = await call(app, '/api/admin/faqs', { token: editor, body: { ...newFaq('编辑写的草稿问题'), status: 'draft' } });
    expect(created.statusCode).toBe(201);
    const { id, version } = created.json<{ id: string; version: number }>();
    const publish = (token: string): ReturnType<typeof call> =>
      call(app, `/api/admin/entries/${id}/publish`, { token, method: 'POST', headers: { 'if-match': String(version) } });
    const refused = await publish(editor);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ action: 'publish', required: 'reviewer' });
    expect((await publish(reviewer)).statusCode).toBe(200);
  });

  it('keeps account management to admins', async () => {
    expect((await call(app, '/api/admin/users', { token: reviewer })).statusCode).toBe(403);
    const users = await call(app, '/api/admin/users');
    expect(users.statusCode).toBe(200);
    expect(users.json<{ users: { username: string; role: string }[] }>().users)
      .toEqual(expect.arrayContaining([expect.objectContaining({ username: 'li.editor', role: 'editor' })]));
    expect(users.body).not.toContain('scrypt');
  });

  it('refuses a username taken or reserved, and short passwords', async () => {
    expect((await call(app, '/api/admin/users', { body: { username: 'LI.EDITOR', password: 'long enough', role: 'viewer' } })).statusCode).toBe(409);
    expect((await call(app, '/api/admin/users', { body: { username: 'operator', password: 'long enough', role: 'viewer' } })).statusCode).toBe(400);
    const short = await call(app, '/api/admin/users', { body: { username: 'short', password: '123', role: 'viewer' } });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ field: '/password' });
  });

  it('attributes each change to its author in the audit trails', async () => {
    const created = await call(app, '/api/admin/faqs', { token: editor, body: newFaq('审计记录里的作者是谁') });
    const { id } = created.json<{ id: string }>();
    const history = await call(app, `/api/admin/entries/${id}/history`, { token: viewer });
    expect(history.json<{ audit: { actor: string; action: string }[] }>().audit[0]).toMatchObject({ actor: 'li.editor', action: 'create' });
    const events = await call(app, '/api/admin/users/audit');
    expect(events.json<{ events: { actor: string; action: string; target: string }[] }>().events)
      .toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'operator', action: 'user.update', target: 'zhou' })]));
  });
});

describe('without ADMIN_TOKEN', () => {
  it('refuses every staff call, login included (CONTRACTS §1)', async () => {
    const { app: closed } = await testApp();
    try {
      expect((await call(closed, '/api/admin/entries')).statusCode).toBe(401);
      const login = await call(closed, '/api/admin/login', { token: null, body: { username: 'a', password: 'b' } });
      expect(login.statusCode).toBe(401);
      expect(login.json()).toMatchObject({ error: 'ADMIN_DISABLED' });
    } finally {
      await closed.close();
    }
  });
});

describe('passwords and sessions', () => {
  it('salts every hash and verifies in constant time', async () => {
    const a = await hashPassword('同一个密码');
    const b = await hashPassword('同一个密码');
    expect(a).not.toBe(b);
    expect(await verifyPassword('同一个密码', a)).toBe(true);
    expect(await verifyPassword('另一个密码', a)).toBe(false);
  });

  it('lets sessions expire', async () => {
    const { openDatabase } = await import('../../knowledge/index.ts');
    let now = new Date('2025-01-01T00:00:00Z');
    const accounts = new StaffAccounts(openDatabase(':memory:'), { now: () => now, sessionTtlMs: 60_000 });
    await accounts.create({ username: 'qian', password: 'qian-password', role: 'viewer' }, 'operator');
    const { token } = await accounts.login('qian', 'qian-password', '10.0.0.1');
    expect(accounts.session(token)?.username).toBe('qian');
    now = new Date('2025-01-01T00:01:01Z');
    expect(accounts.session(token)).toBeNull();
  });
});
