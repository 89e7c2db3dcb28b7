// WAL checkpoints copy the log into the database file and fsync it: tens of
// milliseconds on a busy disk. SQLite runs one inside whichever commit takes the
// log past 1000 pages, and on a server that commit is a citizen's turn, so every
// turn waiting behind it waits too. A worker thread with its own connection runs
// them ahead: the commit that crosses the threshold then finds the log copied and
// the file synced, and only restarts the log (the writer must: a checkpoint that
// races it never finds the log quiet enough to restart it).
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './store.ts';

// Plain JavaScript evaluated in the worker: it needs only the driver, not this project's TypeScript.
const WorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Stops the worker; the connection's own close checkpoints what is left. */
  stop(): Promise<void>;
}

/** Checkpoints `db` from a worker thread every `everyMs`, well before its commits reach the threshold. */
export function checkpointInBackground(db: Db, everyMs = 200): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WorkerSource, {
    eval: true, workerData: { file: db.name, driver, everyMs },
    // None of the parent's flags: --input-type=module, say, would make this source a module without require.
    execArgv: [],
  });
  worker.unref();
  worker.on('message', (message: string) => process.emitWarning(`a WAL checkpoint failed: ${message}`));
  worker.on('error', (error) => process.emitWarning(`the WAL checkpointer stopped: ${error.message}`));
  return {
    async stop() {
      if (worker.threadId === -1) return;
      const exited = once(worker, 'exit');
      // Unreferenced, the worker would not keep the process alive for its own exit: the caller's await would end the process.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
