// Several server processes on one port (node:cluster, WORKERS): a Node process
// runs turns on one core, so a machine's other cores need processes of their own.
// Everything a conversation needs between turns is in SQLite (sessions, Botkit
// state, WeChat retries), so any worker can take any turn; each holds its own
// index and follows knowledge-base edits through the revision it checks per search.
import cluster, { type Worker } from 'node:cluster';

/**
 * Which worker this process is (1…WORKERS; 1 when not clustered). A replacement
 * keeps its predecessor's slot, and with it its index directory.
 */
export function workerSlot(): number {
  return cluster.isWorker ? Number(process.env['BANSHI_WORKER_SLOT'] ?? 1) : 1;
}

/** What a worker sends the primary once it listens. */
export interface WorkerReady {
  type: 'ready';
  port: number;
}

/** A worker that exits this many times within RestartWindowMs means a fault a restart will not cure. */
const MaxRestarts = 5;
const RestartWindowMs = 60_000;

function isReady(message: unknown): message is WorkerReady {
  return (message as WorkerReady | undefined)?.type === 'ready';
}

const slots = new Map<number, number>();

/** One worker, resolved with its ready message; rejected when it exits first. */
function fork(slot: number): Promise<{ worker: Worker; ready: WorkerReady }> {
  return new Promise((resolve, reject) => {
    const worker = cluster.fork({ BANSHI_WORKER_SLOT: String(slot) });
    slots.set(worker.id, slot);
    const onExit = (code: number | null, signal: string | null): void => {
      reject(new Error(`worker ${worker.process.pid} exited with ${signal ?? code} before it was ready`));
    };
    worker.on('message', (message: unknown) => {
      if (!isReady(message)) return;
      worker.off('exit', onExit);
      resolve({ worker, ready: message });
    });
    worker.once('exit', onExit);
  });
}

/**
 * Starts `count` workers. The first starts alone: it migrates and seeds the
 * database, so the others open a ready one instead of seeding it twice.
 */
export async function forkWorkers(count: number): Promise<{ worker: Worker; ready: WorkerReady }[]> {
  const first = await fork(1);
  return [first, ...(await Promise.all(Array.from({ length: count - 1 }, (_, i) => fork(i + 2))))];
}

/** Stops every worker gracefully (each finishes its turns under way) and waits for them. */
export async function stopWorkers(): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  await Promise.all(workers.map((worker) => new Promise<void>((done) => {
    if (worker.isDead()) { done(); return; }
    worker.once('exit', () => done());
    worker.process.kill('SIGTERM');
  })));
}

/**
 * The primary of `banshi serve` with WORKERS > 1: starts the workers, replaces
 * one that dies, and on SIGINT / SIGTERM stops them all before it exits.
 */
export async function superviseWorkers(count: number, log: (message: string) => void): Promise<number> {
  const started = performance.now();
  const workers = await forkWorkers(count);
  log(`${count} worker processes ready on port ${workers[0]!.ready.port} in ${Math.round(performance.now() - started)} ms`);
  let stopping = false;
  const exits: number[] = [];
  return new Promise<number>((resolve) => {
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      stopWorkers().then(() => resolve(code), () => resolve(1));
    };
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      const now = Date.now();
      exits.push(now);
      while (exits[0]! < now - RestartWindowMs) exits.shift();
      if (exits.length > MaxRestarts) {
        log(`worker ${worker.process.pid} exited with ${signal ?? code}; ${exits.length} exits within a minute, stopping`);
        stop(1);
        return;
      }
      log(`worker ${worker.process.pid} exited with ${signal ?? code}; starting another`);
      fork(slots.get(worker.id) ?? 1).catch((error: unknown) => { log((error as Error).message); });
    });
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
  });
}
