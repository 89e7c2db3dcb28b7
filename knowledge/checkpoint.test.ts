import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

  it('keeps the process alive until the worker has stopped, so a caller awaiting stop() goes on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'banshi-checkpoint-'));
    dirs.push(dir);
    const knowledge = resolve(import.meta.dirname, 'index.ts');
    const script = `
      import { checkpointInBackground, openDatabase } from ${JSON.stringify(knowledge)};
      const db = openDatabase(${JSON.stringify(join(dir, 'kb.db'))});
      await checkpointInBackground(db).stop();
      db.close();
      console.log('stopped');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout.trim()).toBe('stopped');
  });
});
