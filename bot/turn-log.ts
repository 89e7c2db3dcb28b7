// The record of every turn, rating and handoff in SQLite, masked before writing:
// staff analytics and the unanswered inbox read from here.
import { migrateNamed, statement, type Db } from '../knowledge/index.ts';
import { maskPersonalData } from './mask.ts';
import type { Reply } from './reply.ts';

export interface TurnRecord {
  channel: string;
  session: string;
  text: string;
  normalized: string;
  reply: Reply;
  latencyMs: number;
  /** When a clarifying question was answered: the wording that needed clarifying. */
  clarifiedFrom?: string;
}

export class TurnLog {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    migrateNamed(db, 'bot-log', [`
      CREATE TABLE turns (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        channel TEXT NOT NULL,
        session TEXT NOT NULL,
        text TEXT NOT NULL,
        normalized TEXT NOT NULL,
        kind TEXT NOT NULL,
        entry_id TEXT,
        facet TEXT,
        confidence REAL NOT NULL,
        latency_ms REAL NOT NULL,
        clarified_from TEXT
      );
      CREATE INDEX turns_at ON turns (at);
      CREATE INDEX turns_session ON turns (session);
      CREATE TABLE ratings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        channel TEXT NOT NULL,
        session TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('满意', '基本满意', '不满意')),
        reason TEXT,
        entry_id TEXT
      );
      CREATE TABLE handoffs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        channel TEXT NOT NULL,
        session TEXT NOT NULL,
        summary TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open'
      );
    `]);
  }

  turn(record: TurnRecord): void {
    statement(this.db, `INSERT INTO turns (at, channel, session, text, normalized, kind, entry_id, facet, confidence,
        latency_ms, clarified_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(new Date().toISOString(), record.channel, record.session, maskPersonalData(record.text),
        maskPersonalData(record.normalized), record.reply.kind, record.reply.entryId, record.reply.facet,
        record.reply.confidence, record.latencyMs, record.clarifiedFrom ? maskPersonalData(record.clarifiedFrom) : null);
  }

  rating(channel: string, session: string, rating: string, entryId: string | null): void {
    statement(this.db, 'INSERT INTO ratings (at, channel, session, rating, entry_id) VALUES (?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), channel, session, rating, entryId);
  }

  /** Attaches the reason to the session's latest rating. */
  ratingReason(session: string, reason: string): void {
    statement(this.db, `UPDATE ratings SET reason = ? WHERE seq = (SELECT MAX(seq) FROM ratings WHERE session = ?)`)
      .run(maskPersonalData(reason), session);
  }

  handoff(channel: string, session: string, summary: string): void {
    statement(this.db, 'INSERT INTO handoffs (at, channel, session, summary) VALUES (?, ?, ?, ?)')
      .run(new Date().toISOString(), channel, session, maskPersonalData(summary));
  }

  /** The conversation so far, for the handoff summary. */
  transcript(session: string, limit = 20): { text: string; kind: string; entryId: string | null }[] {
    return (statement(this.db, `SELECT text, kind, entry_id AS entryId FROM turns WHERE session = ?
      ORDER BY seq DESC LIMIT ?`).all(session, limit) as { text: string; kind: string; entryId: string | null }[]).reverse();
  }
}
