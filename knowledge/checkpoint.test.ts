import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeStore, checkpointInBackground, openDatabase } from './index.ts';
import { faq } from '../test/fixtures.ts';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

/** The entries a copy of the database file alone holds: what checkpoints have copied out of the log. */
function entriesInFileAlone(file: string): number {
  const copy = `${file}.copy`;
  copyFileSync(file, copy);
  const db = openDatabase(copy);
  try {
    return new KnowledgeStore(db).list().total;
  } finally {
    db.close();
  }
}

describe('checkpointInBackground', () => {
  it('copies committed writes into the database file without the writer checkpointing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-checkpoint-'));
    dirs.push(dir);
    const file = join(dir, 'kb.db');
    const db = openDatabase(file);
    // Only the background thread may checkpoint here.
    db.pragma('wal_autocheckpoint = 0');
    const store = new KnowledgeStore(db);
    for (let i = 0; i < 20; i += 1) store.create(faq(`f${i}`), { actor: 'staff' });
    expect(entriesInFileAlone(file)).toBe(0);

    const checkpointer = checkpointInBackground(db, 20);
    await expect.poll(() => entriesInFileAlone(file), { timeout: 5000, interval: 50 }).toBe(20);
    await checkpointer.stop();
    await checkpointer.stop();
    db.close();
  });
});
