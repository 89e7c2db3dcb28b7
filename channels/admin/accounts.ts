// Staff accounts in SQLite: roles, scrypt passwords, bearer sessions stored as
// digests with an expiry, a login lock per username and address after repeated
// failures, and an append-only log of who changed which account.
import { randomBytes } from 'node:crypto';
import { migrateNamed, type Db } from '../../knowledge/index.ts';
import { AdminError } from './errors.ts';
import { hashPassword, tokenDigest, unknownUserHash, verifyPassword } from './passwords.ts';

/** Each role may do everything the roles before it may. */
export const Roles = ['viewer', 'editor', 'reviewer', 'admin'] as const;
export type Role = (typeof Roles)[number];
export const RoleLabels: Record<Role, string> = { viewer: '查看员', editor: '编辑', reviewer: '审核员', admin: '管理员' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (Roles as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return Roles.indexOf(role) >= Roles.indexOf(needed);
}

/** The name the bootstrap ADMIN_TOKEN acts under; no account may take it. */
export const OPERATOR = 'operator';

export interface StaffUser {
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  lastLoginAt: string | null;
}

export interface StaffEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string | null;
}

export interface AccountsOptions {
  sessionTtlMs: number;
  /** Failed logins (per username and address) before the lock. */
  maxFailures: number;
  /** How long the lock lasts, and the window the failures are counted in. */
  lockMs: number;
  now: () => Date;
}

export const AccountDefaults: Readonly<AccountsOptions> = Object.freeze({
  sessionTtlMs: 12 * 3600_000,
  maxFailures: 5,
  lockMs: 15 * 60_000,
  now: () => new Date(),
});

const USERNAME = /^[\p{L}\p{N}_.-]{2,32}$/u;
const MIN_PASSWORD = 8;

interface UserRow {
  username: string;
  role: Role;
  password: string;
  disabled: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  last_login_at: string | null;
}

function toUser(row: UserRow): StaffUser {
  return {
    username: row.username, role: row.role, disabled: row.disabled === 1,
    createdAt: row.created_at, createdBy: row.created_by, updatedAt: row.updated_at, updatedBy: row.updated_by,
    lastLoginAt: row.last_login_at,
  };
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD) {
    throw new AdminError('BAD_REQUEST', [`密码至少 ${MIN_PASSWORD} 个字符`], { fields: { field: '/password' } });
  }
  return password;
}

export class StaffAccounts {
  private readonly db: Db;
  private readonly options: AccountsOptions;

  constructor(db: Db, options: Partial<AccountsOptions> = {}) {
    this.db = db;
    this.options = { ...AccountDefaults, ...options };
    migrateNamed(db, 'staff-accounts', [`
      CREATE TABLE staff_users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'reviewer', 'admin')),
        password TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
        last_login_at TEXT
      );
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES staff_users (username),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX staff_sessions_user ON staff_sessions (username);
      CREATE TABLE staff_login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        first_at TEXT NOT NULL,
        locked_until TEXT
      );
      CREATE TABLE staff_audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT
      );
      CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
        BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
      CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
        BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
    `]);
  }

  list(): StaffUser[] {
    return (this.db.prepare('SELECT * FROM staff_users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  get(username: string): StaffUser | null {
    const row = this.row(username);
    return row ? toUser(row) : null;
  }

  async create(input: { username: unknown; password: unknown; role: unknown }, actor: string): Promise<StaffUser> {
    const { username, role } = input;
    if (typeof username !== 'string' || !USERNAME.test(username)) {
      throw new AdminError('BAD_REQUEST', ['用户名须为 2–32 个字母、数字、汉字或 _ . -'], { fields: { field: '/username' } });
    }
    if (username.toLowerCase() === OPERATOR) throw new AdminError('BAD_REQUEST', [`“${OPERATOR}”保留给 ADMIN_TOKEN，不能用作用户名`], { fields: { field: '/username' } });
    if (!isRole(role)) throw new AdminError('BAD_REQUEST', [`角色须为 ${Roles.join(' / ')} 之一`], { fields: { field: '/role' } });
    const hash = await hashPassword(checkPassword(input.password));
    const at = this.now();
    const taken = this.db.prepare('SELECT 1 FROM staff_users WHERE lower(username) = lower(?)').get(username);
    if (taken) throw new AdminError('USER_EXISTS', [username]);
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO staff_users (username, role, password, disabled, created_at, created_by, updated_at, updated_by)
        VALUES (?, ?, ?, 0, ?, ?, ?, ?)`).run(username, role, hash, at, actor, at, actor);
      this.log(actor, 'user.create', username, `role=${role}`);
    }).immediate();
    return this.get(username)!;
  }

  /** Changes role, password or the disabled flag; a new password or disabling ends the user's sessions. */
  async update(username: string, changes: { role?: unknown; password?: unknown; disabled?: unknown }, actor: string): Promise<StaffUser> {
    const row = this.row(username);
    if (!row) throw new AdminError('NOT_FOUND', [`账号 ${username}`]);
    if (changes.role !== undefined && !isRole(changes.role)) {
      throw new AdminError('BAD_REQUEST', [`角色须为 ${Roles.join(' / ')} 之一`], { fields: { field: '/role' } });
    }
    if (changes.disabled !== undefined && typeof changes.disabled !== 'boolean') {
      throw new AdminError('BAD_REQUEST', ['disabled 须为 true 或 false'], { fields: { field: '/disabled' } });
    }
    const hash = changes.password !== undefined ? await hashPassword(checkPassword(changes.password)) : null;
    const role = isRole(changes.role) ? changes.role : row.role;
    const disabled = typeof changes.disabled === 'boolean' ? changes.disabled : row.disabled === 1;
    const at = this.now();
    this.db.transaction(() => {
      this.db.prepare(`UPDATE staff_users SET role = ?, password = ?, disabled = ?, updated_at = ?, updated_by = ?
        WHERE username = ?`).run(role, hash ?? row.password, disabled ? 1 : 0, at, actor, row.username);
      if (hash || disabled) this.db.prepare('DELETE FROM staff_sessions WHERE username = ?').run(row.username);
      const detail = [
        role !== row.role ? `role=${role}` : '', hash ? 'password' : '',
        disabled !== (row.disabled === 1) ? `disabled=${disabled}` : '',
      ].filter(Boolean).join(' ');
      this.log(actor, 'user.update', row.username, detail || null);
    }).immediate();
    return this.get(row.username)!;
  }

  /** A new session token for correct credentials; failures count towards the lock. */
  async login(username: string, password: string, ip: string): Promise<{ token: string; expiresAt: string; user: StaffUser }> {
    const user = await this.checkCredentials(username, password, ip);
    const now = this.options.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlMs).toISOString();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM staff_sessions WHERE expires_at <= ?').run(now.toISOString());
      this.db.prepare('INSERT INTO staff_sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(tokenDigest(token), user.username, now.toISOString(), expiresAt);
      this.db.prepare('UPDATE staff_users SET last_login_at = ? WHERE username = ?').run(now.toISOString(), user.username);
      this.log(user.username, 'login', user.username, `ip=${ip}`);
    }).immediate();
    return { token, expiresAt, user: this.get(user.username)! };
  }

  /**
   * The enabled user with these credentials. Failures are counted per username
   * and address; at the limit the pair is locked, and a locked pair is refused
   * before its password is even checked.
   */
  async checkCredentials(username: string, password: string, ip: string): Promise<StaffUser> {
    const key = `${username.normalize('NFKC').toLowerCase()}|${ip}`;
    const now = this.options.now();
    const lock = this.db.prepare('SELECT * FROM staff_login_failures WHERE key = ?').get(key) as
      { failures: number; first_at: string; locked_until: string | null } | undefined;
    if (lock?.locked_until && Date.parse(lock.locked_until) > now.getTime()) {
      throw this.locked(Date.parse(lock.locked_until) - now.getTime());
    }
    const row = this.row(username);
    const ok = await verifyPassword(password, row?.password ?? await unknownUserHash());
    if (!row || !ok) {
      const fresh = !lock || Date.parse(lock.first_at) + this.options.lockMs <= now.getTime();
      const failures = fresh ? 1 : lock.failures + 1;
      const lockedUntil = failures >= this.options.maxFailures ? new Date(now.getTime() + this.options.lockMs).toISOString() : null;
      this.db.prepare(`INSERT INTO staff_login_failures (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`)
        .run(key, failures, fresh ? now.toISOString() : lock.first_at, lockedUntil);
      this.log(username, lockedUntil ? 'login.locked' : 'login.failed', username, `ip=${ip}`);
      throw new AdminError('BAD_CREDENTIALS', [], { fields: { remainingAttempts: Math.max(0, this.options.maxFailures - failures) } });
    }
    if (row.disabled === 1) throw new AdminError('ACCOUNT_DISABLED', [row.username]);
    this.db.prepare('DELETE FROM staff_login_failures WHERE key = ?').run(key);
    return toUser(row);
  }

  /** The enabled user a live session token belongs to. */
  session(token: string): StaffUser | null {
    const row = this.db.prepare(`SELECT u.* FROM staff_sessions s JOIN staff_users u ON u.username = s.username
      WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`).get(tokenDigest(token), this.now()) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  logout(token: string, actor: string): void {
    const ended = this.db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenDigest(token));
    if (ended.changes > 0) this.log(actor, 'logout', actor, null);
  }

  events(limit = 100): StaffEvent[] {
    return this.db.prepare('SELECT * FROM staff_audit ORDER BY seq DESC LIMIT ?').all(limit) as StaffEvent[];
  }

  private locked(remainingMs: number): AdminError {
    const seconds = Math.ceil(remainingMs / 1000);
    return new AdminError('LOGIN_LOCKED', [Math.ceil(seconds / 60)], {
      fields: { retryAfterSeconds: seconds }, headers: { 'retry-after': String(seconds) },
    });
  }

  private row(username: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM staff_users WHERE username = ?').get(username) as UserRow | undefined;
  }

  private now(): string {
    return this.options.now().toISOString();
  }

  private log(actor: string, action: string, target: string, detail: string | null): void {
    this.db.prepare('INSERT INTO staff_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)')
      .run(this.now(), actor, action, target, detail);
  }
}
