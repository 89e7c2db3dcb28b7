// The knowledge store on SQLite: every write is a new version, stale writes are
// refused, deletes are soft, and each change lands in the append-only audit log.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KnowledgeError } from './errors.ts';
import { migrate } from './migrations.ts';
import { assertEntry } from './validate.ts';
import type { Entry, EntryKind, EntryStatus, StoredEntry } from './model.ts';

export type Db = Database.Database;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database and SQL text: preparing dominates small queries. */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // WAL's recommended setting: a crash never corrupts the file; a power cut may lose the last commits, not an fsync per turn.
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

export interface WriteOptions {
  actor: string;
  /** The version the writer last saw; a mismatch is a VERSION_CONFLICT. */
  expectedVersion?: number;
}

export interface SaveOptions extends WriteOptions {
  status?: EntryStatus;
}

export interface ListFilter {
  kind?: EntryKind;
  source?: string;
  department?: string;
  status?: EntryStatus;
  tag?: string;
  text?: string;
  includeDeleted?: boolean;
  limit?: number;
  offset?: number;
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export interface VersionInfo {
  version: number;
  status: EntryStatus;
  createdAt: string;
  createdBy: string;
  entry: Entry;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entryId: string;
  version: number;
  before: Entry | null;
  after: Entry | null;
}

export interface KnowledgeStats {
  total: number;
  byKind: Record<string, number>;
  bySource: Record<string, number>;
  byDepartment: Record<string, number>;
  byStatus: Record<string, number>;
  deleted: number;
  revision: number;
}

export interface Changes {
  revision: number;
  /** Entries whose live (published, not deleted) content may have changed. */
  upserted: Entry[];
  /** Entries no longer answerable. */
  removed: string[];
}

interface EntryRow {
  id: string;
  kind: EntryKind;
  source: string;
  department: string | null;
  version: number;
  published_version: number | null;
  deleted_at: string | null;
  updated_at: string;
  updated_by: string;
  revision: number;
}

interface VersionRow {
  id: string;
  version: number;
  status: EntryStatus;
  data: string;
  hash: string;
  created_at: string;
  created_by: string;
}

/** Stable JSON (sorted keys) so equal content always hashes the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v);
}

export function contentHash(entry: Entry): string {
  return createHash('sha256').update(canonical(entry)).digest('hex');
}

export class KnowledgeStore {
  readonly db: Db;
  private readonly now: () => string;

  constructor(db: Db, options: { now?: () => string } = {}) {
    this.db = db;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** The knowledge-base revision: it grows with every write, so indexes can tell they are stale. */
  revision(): number {
    const row = statement(this.db, "SELECT value FROM meta WHERE key = 'revision'").get() as { value: string };
    return Number(row.value);
  }

  /** True when no entry was ever stored (deleted ones count as stored). */
  isEmpty(): boolean {
    return statement(this.db, 'SELECT 1 FROM entries LIMIT 1').get() === undefined;
  }

  /** The entry citizens are answered from: its published version, unless deleted. */
  getLive(id: string): StoredEntry | null {
    const row = this.row(id);
    if (!row || row.deleted_at || row.published_version === null) return null;
    return this.toStored(row, this.versionRow(id, row.published_version)!);
  }

  /** The newest version (a draft if one is pending), deleted or not: what staff edit. */
  getLatest(id: string): StoredEntry | null {
    const row = this.row(id);
    if (!row) return null;
    return this.toStored(row, this.latestVersionRow(id)!);
  }

  list(filter: ListFilter = {}): { total: number; items: StoredEntry[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (!filter.includeDeleted) where.push('e.deleted_at IS NULL');
    if (filter.kind) { where.push('e.kind = ?'); args.push(filter.kind); }
    if (filter.source) { where.push('e.source = ?'); args.push(filter.source); }
    if (filter.department) { where.push('e.department = ?'); args.push(filter.department); }
    if (filter.status) { where.push('v.status = ?'); args.push(filter.status); }
    if (filter.tag) { where.push("EXISTS (SELECT 1 FROM json_each(v.data, '$.tags') WHERE value = ?)"); args.push(filter.tag); }
    if (filter.text) { where.push('instr(v.data, ?) > 0'); args.push(filter.text); }
    const from = `FROM entries e JOIN entry_versions v ON v.id = e.id AND v.version =
      (SELECT MAX(version) FROM entry_versions WHERE id = e.id)
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const total = (statement(this.db, `SELECT COUNT(*) AS n ${from}`).get(...args) as { n: number }).n;
    const rows = statement(this.db, `SELECT e.*, v.status AS v_status, v.data AS v_data, v.version AS v_version,
        v.hash AS v_hash, v.created_at AS v_created_at, v.created_by AS v_created_by
      ${from} ORDER BY e.id LIMIT ? OFFSET ?`)
      .all(...args, filter.limit ?? 50, filter.offset ?? 0) as (EntryRow & Record<string, never>)[];
    const items = rows.map((r) => this.toStored(r, {
      id: r.id, version: r['v_version'], status: r['v_status'], data: r['v_data'],
      hash: r['v_hash'], created_at: r['v_created_at'], created_by: r['v_created_by'],
    }));
    return { total, items };
  }

  /** Every live entry, for building an index. */
  *liveEntries(): Generator<Entry> {
    const rows = statement(this.db, `SELECT v.data FROM entries e JOIN entry_versions v
      ON v.id = e.id AND v.version = e.published_version WHERE e.deleted_at IS NULL ORDER BY e.id`)
      .iterate() as IterableIterator<{ data: string }>;
    for (const row of rows) yield JSON.parse(row.data) as Entry;
  }

  /** What changed for citizens since a revision, so an index can update in place. */
  changesSince(revision: number): Changes {
    return this.db.transaction(() => {
      const rows = statement(this.db, 'SELECT * FROM entries WHERE revision > ?').all(revision) as EntryRow[];
      const upserted: Entry[] = [];
      const removed: string[] = [];
      for (const row of rows) {
        const live = row.deleted_at || row.published_version === null ? null : this.versionRow(row.id, row.published_version);
        if (live) upserted.push(JSON.parse(live.data) as Entry);
        else removed.push(row.id);
      }
      return { revision: this.revision(), upserted, removed };
    }).immediate();
  }

  create(candidate: unknown, options: SaveOptions): StoredEntry {
    const entry = assertEntry(candidate);
    return this.db.transaction(() => {
      if (this.row(entry.id)) throw new KnowledgeError('ALREADY_EXISTS', [entry.id]);
      const status = options.status ?? 'published';
      const at = this.now();
      const revision = this.bumpRevision();
      statement(this.db, `INSERT INTO entries (id, kind, source, department, version, published_version,
          deleted_at, updated_at, updated_by, revision) VALUES (?, ?, ?, ?, 1, ?, NULL, ?, ?, ?)`)
        .run(entry.id, entry.kind, entry.source, entry.department ?? null,
          status === 'published' ? 1 : null, at, options.actor, revision);
      this.insertVersion(entry, 1, status, at, options.actor);
      this.audit(options.actor, 'create', entry.id, 1, null, entry, at);
      return this.getLatest(entry.id)!;
    }).immediate();
  }

  /** Saves new content as the next version: published at once, or as a draft beside the live one. */
  update(id: string, candidate: unknown, options: SaveOptions): StoredEntry {
    const entry = assertEntry(candidate);
    if (entry.id !== id) throw new KnowledgeError('INVALID_ENTRY', [`/id must stay ${id}`]);
    return this.db.transaction(() => {
      const row = this.checkedRow(id, options.expectedVersion);
      const before = JSON.parse(this.latestVersionRow(id)!.data) as Entry;
      const status = options.status ?? 'published';
      const version = row.version + 1;
      const at = this.now();
      this.insertVersion(entry, version, status, at, options.actor);
      this.touch(id, version, status === 'published' ? version : row.published_version, row.deleted_at, at, options.actor, entry);
      this.audit(options.actor, status === 'published' ? 'update' : 'save_draft', id, version, before, entry, at);
      return this.getLatest(id)!;
    }).immediate();
  }

  /** Makes the pending draft the live version. */
  publish(id: string, options: WriteOptions): StoredEntry {
    return this.db.transaction(() => {
      const row = this.checkedRow(id, options.expectedVersion);
      const draft = this.latestVersionRow(id)!;
      if (draft.status !== 'draft') throw new KnowledgeError('NOTHING_TO_PUBLISH', [id]);
      const entry = JSON.parse(draft.data) as Entry;
      const before = row.published_version === null ? null : JSON.parse(this.versionRow(id, row.published_version)!.data) as Entry;
      const version = row.version + 1;
      const at = this.now();
      this.insertVersion(entry, version, 'published', at, options.actor);
      this.touch(id, version, version, row.deleted_at, at, options.actor, entry);
      this.audit(options.actor, 'publish', id, version, before, entry, at);
      return this.getLatest(id)!;
    }).immediate();
  }

  /** Publishes an earlier version's content again as the newest version. */
  rollback(id: string, toVersion: number, options: WriteOptions): StoredEntry {
    const target = this.versionRow(id, toVersion);
    if (!target) throw new KnowledgeError('NOT_FOUND', [`${id}@${toVersion}`]);
    return this.update(id, JSON.parse(target.data), { ...options, status: 'published' });
  }

  /** Soft delete: the entry stops being answered but every version stays and can be restored. */
  remove(id: string, options: WriteOptions): StoredEntry {
    return this.setDeleted(id, true, options);
  }

  restore(id: string, options: WriteOptions): StoredEntry {
    return this.setDeleted(id, false, options);
  }

  /** Upserts an imported entry as published content, keyed by its source id. */
  importEntry(candidate: unknown, actor: string): ImportOutcome {
    const entry = assertEntry(candidate);
    return this.db.transaction((): ImportOutcome => {
      const row = this.row(entry.id);
      if (!row) {
        this.create(entry, { actor, status: 'published' });
        return 'created';
      }
      const latest = this.latestVersionRow(entry.id)!;
      if (latest.hash === contentHash(entry)) return 'unchanged';
      this.update(entry.id, entry, { actor, status: 'published' });
      return 'updated';
    }).immediate();
  }

  history(id: string): VersionInfo[] {
    const rows = statement(this.db, 'SELECT * FROM entry_versions WHERE id = ? ORDER BY version').all(id) as VersionRow[];
    return rows.map((r) => ({
      version: r.version, status: r.status, createdAt: r.created_at, createdBy: r.created_by,
      entry: JSON.parse(r.data) as Entry,
    }));
  }

  auditTrail(filter: { entryId?: string; limit?: number } = {}): AuditRecord[] {
    const rows = statement(this.db, `SELECT * FROM audit_log ${filter.entryId ? 'WHERE entry_id = ?' : ''}
      ORDER BY seq DESC LIMIT ?`).all(...(filter.entryId ? [filter.entryId] : []), filter.limit ?? 100) as
      { seq: number; at: string; actor: string; action: string; entry_id: string; version: number; before: string | null; after: string | null }[];
    return rows.map((r) => ({
      seq: r.seq, at: r.at, actor: r.actor, action: r.action, entryId: r.entry_id, version: r.version,
      before: r.before ? JSON.parse(r.before) as Entry : null,
      after: r.after ? JSON.parse(r.after) as Entry : null,
    }));
  }

  stats(): KnowledgeStats {
    const count = (sql: string): Record<string, number> => Object.fromEntries(
      (statement(this.db, sql).all() as { k: string | null; n: number }[]).map((r) => [r.k ?? '(none)', r.n]));
    const live = 'FROM entries WHERE deleted_at IS NULL';
    return {
      total: (statement(this.db, `SELECT COUNT(*) AS n ${live}`).get() as { n: number }).n,
      byKind: count(`SELECT kind AS k, COUNT(*) AS n ${live} GROUP BY kind ORDER BY n DESC`),
      bySource: count(`SELECT source AS k, COUNT(*) AS n ${live} GROUP BY source ORDER BY n DESC`),
      byDepartment: count(`SELECT department AS k, COUNT(*) AS n ${live} GROUP BY department ORDER BY n DESC`),
      byStatus: count(`SELECT CASE WHEN published_version IS NULL THEN 'draft' WHEN published_version < version
          AND (SELECT status FROM entry_versions v WHERE v.id = entries.id AND v.version = entries.version) = 'draft'
          THEN 'published_with_draft' ELSE 'published' END AS k, COUNT(*) AS n ${live} GROUP BY k ORDER BY n DESC`),
      deleted: (statement(this.db, 'SELECT COUNT(*) AS n FROM entries WHERE deleted_at IS NOT NULL').get() as { n: number }).n,
      revision: this.revision(),
    };
  }

  private setDeleted(id: string, deleted: boolean, options: WriteOptions): StoredEntry {
    return this.db.transaction(() => {
      const row = this.checkedRow(id, options.expectedVersion);
      if (Boolean(row.deleted_at) === deleted) return this.getLatest(id)!;
      const content = JSON.parse(this.latestVersionRow(id)!.data) as Entry;
      const version = row.version + 1;
      const at = this.now();
      this.touch(id, version, row.published_version, deleted ? at : null, at, options.actor, content);
      this.audit(options.actor, deleted ? 'delete' : 'restore', id, version,
        deleted ? content : null, deleted ? null : content, at);
      return this.getLatest(id)!;
    }).immediate();
  }

  private row(id: string): EntryRow | undefined {
    return statement(this.db, 'SELECT * FROM entries WHERE id = ?').get(id) as EntryRow | undefined;
  }

  private checkedRow(id: string, expectedVersion: number | undefined): EntryRow {
    const row = this.row(id);
    if (!row) throw new KnowledgeError('NOT_FOUND', [id]);
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new KnowledgeError('VERSION_CONFLICT', [id, expectedVersion], { details: this.getLatest(id) });
    }
    return row;
  }

  private versionRow(id: string, version: number): VersionRow | undefined {
    return statement(this.db, 'SELECT * FROM entry_versions WHERE id = ? AND version = ?').get(id, version) as VersionRow | undefined;
  }

  private latestVersionRow(id: string): VersionRow | undefined {
    return statement(this.db, 'SELECT * FROM entry_versions WHERE id = ? ORDER BY version DESC LIMIT 1').get(id) as VersionRow | undefined;
  }

  private insertVersion(entry: Entry, version: number, status: EntryStatus, at: string, actor: string): void {
    statement(this.db, `INSERT INTO entry_versions (id, version, status, data, hash, created_at, created_by)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(entry.id, version, status, JSON.stringify(entry), contentHash(entry), at, actor);
  }

  private touch(id: string, version: number, publishedVersion: number | null, deletedAt: string | null,
    at: string, actor: string, entry: Entry): void {
    statement(this.db, `UPDATE entries SET version = ?, published_version = ?, deleted_at = ?, updated_at = ?,
        updated_by = ?, revision = ?, source = ?, department = ? WHERE id = ?`)
      .run(version, publishedVersion, deletedAt, at, actor, this.bumpRevision(), entry.source, entry.department ?? null, id);
  }

  private bumpRevision(): number {
    const row = statement(this.db, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'
      RETURNING value`).get() as { value: string | number };
    return Number(row.value);
  }

  private audit(actor: string, action: string, id: string, version: number,
    before: Entry | null, after: Entry | null, at: string): void {
    statement(this.db, `INSERT INTO audit_log (at, actor, action, entry_id, version, before, after)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(at, actor, action, id, version,
      before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null);
  }

  private toStored(row: EntryRow, version: VersionRow): StoredEntry {
    return {
      entry: JSON.parse(version.data) as Entry,
      version: row.version,
      status: version.status,
      publishedVersion: row.published_version,
      deleted: row.deleted_at !== null,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    };
  }
}
