import { describe, expect, it } from 'vitest';
import { KnowledgeError, KnowledgeStore, openDatabase } from './index.ts';
import { faq, matter } from '../test/fixtures.ts';

function freshStore(): KnowledgeStore {
  return new KnowledgeStore(openDatabase(':memory:'));
}

describe('KnowledgeStore', () => {
  it('bumps the version on every write and serves the published one', () => {
    const store = freshStore();
    expect(store.create(faq('f1'), { actor: 'alice' }).version).toBe(1);
    const v2 = store.update('f1', faq('f1', { answer: '新答案' }), { actor: 'bob', expectedVersion: 1 });
    expect(v2.version).toBe(2);
    expect(store.getLive('f1')?.entry).toMatchObject({ answer: '新答案' });
  });

  it('refuses a stale update of a concurrent edit and loses nothing; the audit trail records both', () => {
    const store = freshStore();
    store.create(faq('f1'), { actor: 'setup' });
    // Two staff members open version 1 at the same time.
    store.update('f1', faq('f1', { answer: '甲的修改' }), { actor: 'alice', expectedVersion: 1 });
    let conflict: unknown;
    try {
      store.update('f1', faq('f1', { answer: '乙的修改' }), { actor: 'bob', expectedVersion: 1 });
    } catch (error) {
      conflict = error;
    }
    expect(conflict).toBeInstanceOf(KnowledgeError);
    expect((conflict as KnowledgeError).code).toBe('VERSION_CONFLICT');
    // The conflict carries the winner's content so the loser can merge.
    expect(((conflict as KnowledgeError).details as { entry: { answer: string } }).entry.answer).toBe('甲的修改');
    expect(store.getLive('f1')?.entry).toMatchObject({ answer: '甲的修改' });
    // Bob retries on the fresh version and nothing is lost.
    store.update('f1', faq('f1', { answer: '甲的修改；乙的补充' }), { actor: 'bob', expectedVersion: 2 });
    const trail = store.auditTrail({ entryId: 'f1' });
    expect(trail.map((a) => [a.actor, a.action, a.version])).toEqual([
      ['bob', 'update', 3], ['alice', 'update', 2], ['setup', 'create', 1],
    ]);
    expect(trail[0]!.before).toMatchObject({ answer: '甲的修改' });
  });

  it('keeps the audit trail append-only', () => {
    const store = freshStore();
    store.create(faq('f1'), { actor: 'alice' });
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('keeps a draft beside the published version until it is published', () => {
    const store = freshStore();
    store.create(faq('f1', { answer: '旧' }), { actor: 'a' });
    store.update('f1', faq('f1', { answer: '草稿' }), { actor: 'a', expectedVersion: 1, status: 'draft' });
    expect(store.getLive('f1')?.entry).toMatchObject({ answer: '旧' });
    expect(store.getLatest('f1')).toMatchObject({ status: 'draft', entry: { answer: '草稿' } });
    store.publish('f1', { actor: 'reviewer', expectedVersion: 2 });
    expect(store.getLive('f1')?.entry).toMatchObject({ answer: '草稿' });
    expect(() => store.publish('f1', { actor: 'reviewer' })).toThrow(/no draft/);
  });

  it('deletes softly, can restore, and reports changes for incremental indexing', () => {
    const store = freshStore();
    store.create(faq('f1'), { actor: 'a' });
    store.create(matter('m1'), { actor: 'a' });
    const mark = store.revision();
    store.remove('f1', { actor: 'a', expectedVersion: 1 });
    expect(store.getLive('f1')).toBeNull();
    expect(store.changesSince(mark)).toMatchObject({ upserted: [], removed: ['f1'] });
    store.restore('f1', { actor: 'a' });
    expect(store.getLive('f1')?.entry.id).toBe('f1');
    expect(store.changesSince(mark).upserted.map((e) => e.id)).toEqual(['f1']);
    expect(store.history('f1').map((v) => v.version)).toEqual([1]);
  });

  it('rejects an invalid entry naming the field', () => {
    const store = freshStore();
    expect(() => store.create({ ...faq('f1'), answer: '' }, { actor: 'a' })).toThrow(/\/answer/);
    expect(() => store.create({ ...matter('m1'), fees: { status: 'maybe', items: [] } }, { actor: 'a' })).toThrow(/\/fees\/status/);
  });

  it('reports import outcomes: created, unchanged, updated', () => {
    const store = freshStore();
    expect(store.importEntry(faq('f1'), 'import')).toBe('created');
    expect(store.importEntry(faq('f1'), 'import')).toBe('unchanged');
    expect(store.importEntry(faq('f1', { answer: '改' }), 'import')).toBe('updated');
    expect(store.stats()).toMatchObject({ total: 1, byKind: { faq: 1 }, bySource: { test: 1 } });
  });
});
