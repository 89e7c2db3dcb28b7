// Numbered schema migrations. Each runs once, in order, inside a transaction;
// PRAGMA user_version records how far a database has come.
import type Database from 'better-sqlite3';
import { KnowledgeError } from './errors.ts';

const migrations: string[] = [
  // 1: entries with every revision kept, and an append-only audit trail.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('revision', '0');

  CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('matter', 'faq')),
    source TEXT NOT NULL,
    department TEXT,
    version INTEGER NOT NULL,
    published_version INTEGER,
    deleted_at TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    -- the knowledge-base revision of the last change, for incremental indexing
    revision INTEGER NOT NULL
  );
  CREATE INDEX entries_revision ON entries (revision);

  CREATE TABLE entry_versions (
    id TEXT NOT NULL REFERENCES entries (id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    data TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
  );

  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    before TEXT,
    after TEXT
  );
  CREATE INDEX audit_entry ON audit_log (entry_id);
  -- 全程留痕: the trail can be appended to, never rewritten.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
];

export const SCHEMA_VERSION = migrations.length;

// Each runs in one IMMEDIATE transaction, version check included: server processes
// (WORKERS) or a CLI command starting beside a server must not apply a step twice.
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new KnowledgeError('SCHEMA_TOO_NEW', [current, SCHEMA_VERSION]);
    }
    for (let v = current; v < SCHEMA_VERSION; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}

/** Lets other parts (dialogue logs, staff accounts) add their own numbered tables to the same file. */
export function migrateNamed(db: Database.Database, name: string, steps: string[]): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS part_versions (part TEXT PRIMARY KEY, version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM part_versions WHERE part = ?').get(name) as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > steps.length) throw new KnowledgeError('SCHEMA_TOO_NEW', [`${name}@${current}`, steps.length]);
    for (let v = current; v < steps.length; v++) {
      db.exec(steps[v]!);
      db.prepare('INSERT INTO part_versions (part, version) VALUES (?, ?) ON CONFLICT (part) DO UPDATE SET version = excluded.version')
        .run(name, v + 1);
    }
  }).immediate();
}
