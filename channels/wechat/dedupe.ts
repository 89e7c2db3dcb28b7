// WeChat retries a message it got no answer to within 5 seconds (three tries in
// all). Each message's answer is recorded under its key so that a retry gives the
// same answer instead of asking the bot again: the citizen sees one answer and the
// turn is logged once. The record lives in SQLite, not in memory, because with
// several server processes (WORKERS) a retry may reach another process than the
// first try, and the numbered options a citizen answers with a digit likewise.
import { migrateNamed, statement, type Db } from '../../knowledge/index.ts';

/** What is known of one message: still being answered, answered (null: nothing to say), or handed to the customer-service API. */
export type ExchangeState = { state: 'pending' } | { state: 'answered'; content: string | null } | { state: 'late' };

export interface WechatStateOptions {
  /** How long a message's answer is kept for retries. */
  exchangeTtlMs: number;
  /** How long the numbered options last shown to a session can be picked by digit. */
  choicesTtlMs: number;
  now?: () => number;
}

/** Expired rows are swept every this many claims, so neither table grows without bound. */
const SweepEvery = 200;

/** The message's identity across WeChat's retries: MsgId for messages, sender + time (+ event) for events. */
export function messageKey(fields: Record<string, string>): string {
  if (fields['MsgId']) return `msg:${fields['MsgId']}`;
  return `event:${fields['FromUserName'] ?? ''}:${fields['CreateTime'] ?? ''}:${fields['Event'] ?? ''}:${fields['EventKey'] ?? ''}`;
}

export class WechatState {
  private readonly db: Db;
  private readonly options: Required<WechatStateOptions>;
  private claims = 0;

  constructor(db: Db, options: WechatStateOptions) {
    this.db = db;
    this.options = { now: Date.now, ...options };
    migrateNamed(db, 'wechat-state', [`
      CREATE TABLE wechat_exchanges (key TEXT PRIMARY KEY, state TEXT NOT NULL CHECK (state IN ('pending', 'answered', 'late')),
        content TEXT, expires_at INTEGER NOT NULL);
      CREATE INDEX wechat_exchanges_expiry ON wechat_exchanges (expires_at);
      CREATE TABLE wechat_choices (session TEXT PRIMARY KEY, choices TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX wechat_choices_expiry ON wechat_choices (expires_at);
    `]);
  }

  /** True when this try is the message's first (the caller answers it); false for a retry. */
  claim(key: string): boolean {
    const now = this.options.now();
    if (++this.claims % SweepEvery === 0) this.sweep(now);
    // An expired record is a new message for our purposes: WeChat stopped retrying long ago.
    const claimed = statement(this.db, `INSERT INTO wechat_exchanges (key, state, expires_at) VALUES (?, 'pending', ?)
      ON CONFLICT (key) DO UPDATE SET state = 'pending', content = NULL, expires_at = excluded.expires_at
      WHERE wechat_exchanges.expires_at <= ?`).run(key, now + this.options.exchangeTtlMs, now);
    return claimed.changes === 1;
  }

  get(key: string): ExchangeState | undefined {
    const row = statement(this.db, 'SELECT state, content FROM wechat_exchanges WHERE key = ? AND expires_at > ?')
      .get(key, this.options.now()) as { state: ExchangeState['state']; content: string | null } | undefined;
    if (!row) return undefined;
    return row.state === 'answered' ? { state: 'answered', content: row.content } : { state: row.state };
  }

  /** Records the answer unless the message was already handed to the customer-service API. */
  answered(key: string, content: string | null): void {
    statement(this.db, `UPDATE wechat_exchanges SET state = 'answered', content = ? WHERE key = ? AND state = 'pending'`).run(content, key);
  }

  /** Hands a still-unanswered message to the customer-service API; false when its answer came first. */
  markLate(key: string): boolean {
    return statement(this.db, `UPDATE wechat_exchanges SET state = 'late' WHERE key = ? AND state = 'pending'`).run(key).changes === 1;
  }

  choices(session: string): string[] {
    const row = statement(this.db, 'SELECT choices FROM wechat_choices WHERE session = ? AND expires_at > ?')
      .get(session, this.options.now()) as { choices: string } | undefined;
    return row ? (JSON.parse(row.choices) as string[]) : [];
  }

  /** The numbered options just shown to a session; none forgets the last ones. */
  setChoices(session: string, choices: string[]): void {
    if (choices.length === 0) {
      statement(this.db, 'DELETE FROM wechat_choices WHERE session = ?').run(session);
      return;
    }
    statement(this.db, `INSERT INTO wechat_choices (session, choices, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (session) DO UPDATE SET choices = excluded.choices, expires_at = excluded.expires_at`)
      .run(session, JSON.stringify(choices), this.options.now() + this.options.choicesTtlMs);
  }

  private sweep(now: number): void {
    statement(this.db, 'DELETE FROM wechat_exchanges WHERE expires_at <= ?').run(now);
    statement(this.db, 'DELETE FROM wechat_choices WHERE expires_at <= ?').run(now);
  }
}
