// `banshi bench --channels`: load on POST /api/chat and GET /ws over loopback at
// several session counts, and the bot's own turn time in the server process, so
// that transport overhead can be told apart from dialogue cost. Closed loop by
// default (each session asks again as soon as it is answered: the most a server
// carries); `--rate R` is an open loop instead (the sessions together ask R
// questions a second on a fixed schedule, and a turn's time counts from when it
// was due, so a server falling behind shows as latency, not as fewer requests).
// The server runs in a child process (`bench --serve-for-bench DBFILE`), with
// `--workers N` as a cluster of N: the load generator must not share its event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket, { type RawData } from 'ws';
import type { Bot } from '../../bot/index.ts';
import { buildApp } from '../../channels/index.ts';
import { percentile } from '../../eval/index.ts';
import { UsageError } from '../args.ts';
import { openStack, ServerCommitWindowMs } from '../stack.ts';
import { forkWorkers, stopWorkers, workerSlot } from '../workers.ts';

/**
 * What citizens ask the demo knowledge base: openers with their follow-ups, so a
 * session walking the list exercises topic turns, facet follow-ups and small talk.
 */
export const BenchQuestions: readonly string[] = [
  '身份证丢了怎么补办', '要带什么材料', '多少钱', '大概多久能拿到',
  '我想办护照', '要带什么', '几天能拿', '护照在哪办',
  '想办个居住证', '需要满足什么条件', '去哪里办',
  '新车上牌怎么弄', '费用大概多少', '在哪里办',
  '我要申请低保', '要什么条件', '多久能批下来', '咨询电话多少',
  '想了解一下公积金贷款', '网上能办吗', '流程是怎样',
  '準備去登記結婚', '要帶哪些東西', '要錢嗎',
  '社保卡丢了怎么办', '能寄到家里吗',
  '驾驶证到期了怎么换', '要跑几趟',
  '你好', '谢谢',
];

export const Transports = ['http', 'ws'] as const;
export type Transport = (typeof Transports)[number];

export interface LatencyMs {
  p50: number;
  p99: number;
}

export interface ChannelStep {
  transport: Transport;
  sessions: number;
  /** Open loop: the turns per second the sessions were scheduled to ask, together. */
  offeredRate?: number;
  /** Turns sent and answered inside the measured window. */
  turns: number;
  turnsPerSecond: number;
  latencyMs: LatencyMs;
  /** Failed turns (status, error frame, closed socket, timeout) started in the window. */
  errors: number;
  /** CPU of the server process over the window, in % of one core (when it can be asked). */
  serverCpuPercent?: number;
  /**
   * Share of the window the server's event loop was busy. Near 100 % with CPU well
   * below it means the server was runnable but not running (other processes had
   * the cores) or blocked in synchronous I/O.
   */
  serverLoopBusyPercent?: number;
  /** CPU of the load generator over the window, in % of one core. */
  clientCpuPercent: number;
}

export interface BotTurnStats {
  turns: number;
  ms: LatencyMs & { mean: number };
}

export interface StepOptions {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  transport: Transport;
  sessions: number;
  seconds: number;
  warmupSeconds: number;
  /** A turn slower than this is an error (and ends the wait for it). */
  turnTimeoutMs?: number;
  /** Open loop at this many turns per second in all; closed loop without it. */
  rate?: number;
  /** The server's cumulative CPU time and event-loop use, when it runs elsewhere. */
  serverProbe?: () => Promise<ServerSample | undefined>;
}

/** `--seconds N`: the measured time of each step (10 s unless told). */
export function parseSeconds(value: string | undefined): number {
  if (value === undefined) return 10;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new UsageError(`--seconds must be a number of seconds in (0, 600], not "${value}"`);
  return seconds;
}

/** `--rate R`: open-loop turns per second over all sessions. */
export function parseRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 100_000) throw new UsageError(`--rate must be turns per second in (0, 100000], not "${value}"`);
  return rate;
}

/** `--sessions 1,50,200`: the session counts to step through. */
export function parseSessions(value: string | undefined): number[] {
  if (value === undefined) return [1, 50, 200];
  const counts = value.split(',').map((v) => Number(v.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
    throw new UsageError(`--sessions must be session counts from 1 to 10000, separated by commas, not "${value}"`);
  }
  return counts;
}

/** `--workers N`: server processes (1 unless told). */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers must be a whole number from 1 to 64, not "${value}"`);
  return workers;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const cpuMicros = (): number => { const u = process.cpuUsage(); return u.user + u.system; };
/** What the server child reports about itself; undefined once it is gone. */
export interface ServerSample {
  cpuMicros: number;
  loop: EventLoopUtilization;
}

/** A session that keeps failing stops, so a dead server cannot spin the loop. */
const MaxConsecutiveErrors = 5;

/** The window a step measures: turns count only when they start and finish inside it. */
class Window {
  readonly latencies: number[] = [];
  errors = 0;
  constructor(readonly opensAt: number, readonly closesAt: number) {}
  running(): boolean { return performance.now() < this.closesAt; }
  ok(started: number, ended: number): void {
    if (started >= this.opensAt && ended <= this.closesAt) this.latencies.push(ended - started);
  }
  failed(started: number): void {
    if (started >= this.opensAt && started < this.closesAt) this.errors += 1;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** When a session's turns are due: at once when the last is answered (closed loop), or every `interval` ms (open loop). */
class Schedule {
  constructor(private readonly interval: number | undefined, private next: number) {}

  /** Waits until the next turn is due and returns when it was due: a late turn's latency includes its wait. */
  async due(): Promise<number> {
    if (this.interval === undefined) return performance.now();
    const at = this.next;
    this.next += this.interval;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    return at;
  }
}

interface ChatAnswer {
  session?: unknown;
  reply?: unknown;
}

/**
 * One session's keep-alive HTTP/1.1 connection for POST /api/chat, written on a
 * bare socket as autocannon does: node:http's client cost this machine 25-30% of a
 * core at 1,000 turns/s (fetch 5-10 times more), and on two cores every client
 * cycle is taken from the server. It understands what fastify sends a JSON reply
 * with (a Content-Length body) and fails the turn on anything else.
 */
class HttpConnection {
  private socket: Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (answer: ChatAnswer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly url: URL) {}

  post(payload: string, timeoutMs: number): Promise<ChatAnswer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error('turn timed out')), timeoutMs);
      this.waiting = { resolve, reject, timer };
      const head = `POST ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: application/json\r\n`
        + `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n`;
      this.connected().write(head + payload);
    });
  }

  close(): void { this.socket?.destroy(); }

  private connected(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect(Number(this.url.port), this.url.hostname);
    socket.setNoDelay(true);
    // Events of a socket already given up on must not touch the turn now under way on its successor.
    const current = (): boolean => this.socket === socket;
    socket.on('data', (chunk: Buffer) => { if (current()) this.read(chunk); });
    socket.on('error', (error) => { if (current()) this.fail(error); });
    socket.on('close', () => { if (current()) { this.socket = undefined; this.fail(new Error('connection closed')); } });
    this.socket = socket;
    this.buffered = Buffer.alloc(0);
    return socket;
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (!status || length === undefined) { this.fail(new Error(`unexpected response head ${head.slice(0, 80)}`)); this.close(); return; }
    const bodyEnd = end + 4 + Number(length);
    if (this.buffered.length < bodyEnd) return;
    const body = this.buffered.subarray(end + 4, bodyEnd).toString();
    this.buffered = this.buffered.subarray(bodyEnd);
    if (status !== '200') { this.fail(new Error(`HTTP ${status}`)); return; }
    try { this.settle(JSON.parse(body) as ChatAnswer); } catch (error) { this.fail(error as Error); }
  }

  private settle(answer: ChatAnswer): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    waiting.resolve(answer);
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    // A late reply would answer the next turn: a connection that failed a turn is not used again.
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    waiting.reject(error);
  }
}

/** One HTTP session: the first turn gets the server-issued id, later turns send it back. */
async function httpSession(connection: HttpConnection, first: number, window: Window, schedule: Schedule, timeoutMs: number): Promise<void> {
  let session: string | undefined;
  let failures = 0;
  for (let i = first; window.running() && failures < MaxConsecutiveErrors; i += 1) {
    const text = BenchQuestions[i % BenchQuestions.length]!;
    const started = await schedule.due();
    if (!window.running()) break;
    try {
      const body = await connection.post(JSON.stringify(session ? { session, text } : { text }), timeoutMs);
      if (typeof body.session !== 'string' || typeof body.reply !== 'object') throw new Error('not a chat answer');
      session = body.session;
      window.ok(started, performance.now());
      failures = 0;
    } catch {
      window.failed(started);
      failures += 1;
    }
  }
  connection.close();
}

/** A /ws client that has one turn under way at a time, as the widget does. */
class WsSession {
  private waiting: { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => {
      let frame: { type?: unknown; reply?: unknown } | undefined;
      try { frame = JSON.parse(data.toString()) as typeof frame; } catch { frame = undefined; }
      if (frame?.type === 'reply' && typeof frame.reply === 'object') this.settle();
      else this.settle(new Error(`unexpected frame ${data.toString().slice(0, 80)}`));
    });
    socket.on('close', () => this.settle(new Error('socket closed')));
  }

  /** Resolves once the server's welcome frame has arrived. */
  static open(baseUrl: string, timeoutMs: number): Promise<WsSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false });
      const timer = setTimeout(() => { socket.terminate(); reject(new Error('no welcome frame')); }, timeoutMs);
      socket.once('error', (error) => { clearTimeout(timer); reject(error); });
      socket.once('message', (data: RawData) => {
        clearTimeout(timer);
        let frame: { type?: unknown } | undefined;
        try { frame = JSON.parse(data.toString()) as typeof frame; } catch { frame = undefined; }
        if (frame?.type !== 'welcome') { socket.terminate(); reject(new Error('first frame is not a welcome')); return; }
        socket.removeAllListeners('error');
        socket.on('error', () => { /* the close event that follows fails the turn */ });
        resolve(new WsSession(socket));
      });
    });
  }

  turn(text: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) { reject(new Error('socket closed')); return; }
      const timer = setTimeout(() => this.settle(new Error('turn timed out')), timeoutMs);
      this.waiting = { resolve, reject, timer };
      this.socket.send(JSON.stringify({ type: 'message', text }));
    });
  }

  private settle(error?: Error): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    if (error) waiting.reject(error); else waiting.resolve();
  }

  close(): void { this.socket.close(); }
}

async function wsSession(client: WsSession, first: number, window: Window, schedule: Schedule, timeoutMs: number): Promise<void> {
  let failures = 0;
  for (let i = first; window.running() && failures < MaxConsecutiveErrors; i += 1) {
    const started = await schedule.due();
    if (!window.running()) break;
    try {
      await client.turn(BenchQuestions[i % BenchQuestions.length]!, timeoutMs);
      window.ok(started, performance.now());
      failures = 0;
    } catch {
      window.failed(started);
      failures += 1;
    }
  }
  client.close();
}

/** Every session's socket, or none: a failed connection closes the others before it is thrown. */
async function openAll(baseUrl: string, sessions: number, timeoutMs: number): Promise<WsSession[]> {
  const opened = await Promise.allSettled(Array.from({ length: sessions }, () => WsSession.open(baseUrl, timeoutMs)));
  const sockets = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (!failed) return sockets;
  for (const socket of sockets) socket.close();
  throw new Error(`could not open ${sessions - sockets.length} of ${sessions} WebSocket sessions`, { cause: failed.reason });
}

/** Where session n starts in the question list: spread out so sessions do not ask in lockstep. */
const firstQuestion = (n: number): number => (n * 7) % BenchQuestions.length;

/** One step: `sessions` sessions for warm-up plus `seconds`, then stop. */
export async function runChannelStep(options: StepOptions): Promise<ChannelStep> {
  const timeoutMs = options.turnTimeoutMs ?? 10_000;
  const sockets = options.transport === 'ws' ? await openAll(options.baseUrl, options.sessions, timeoutMs) : [];
  const chatUrl = new URL('/api/chat', options.baseUrl);
  const opensAt = performance.now() + options.warmupSeconds * 1000;
  const window = new Window(opensAt, opensAt + options.seconds * 1000);
  // Open loop: each session asks every sessions/rate seconds, the sessions spread evenly over that interval.
  const interval = options.rate ? (options.sessions / options.rate) * 1000 : undefined;
  const begun = performance.now();
  const schedule = (n: number): Schedule => new Schedule(interval, begun + (interval ?? 0) * (n / options.sessions));
  const sessions = Array.from({ length: options.sessions }, (_, n) => (options.transport === 'ws'
    ? wsSession(sockets[n]!, firstQuestion(n), window, schedule(n), timeoutMs)
    // One connection per session, kept alive between its turns, as each citizen's browser would: a
    // shared pool hands an open loop's turns to whichever connections were used last.
    : httpSession(new HttpConnection(chatUrl), firstQuestion(n), window, schedule(n), timeoutMs)));

  // CPU is read at the window's edges, while the sessions keep running.
  const at = (time: number): Promise<void> => new Promise((done) => setTimeout(done, Math.max(0, time - performance.now())));
  const sample = async (): Promise<{ client: number; server: ServerSample | undefined }> => ({
    client: cpuMicros(), server: await options.serverProbe?.(),
  });
  const cpu = (async () => {
    await at(window.opensAt);
    const start = await sample();
    await at(window.closesAt);
    return { start, end: await sample() };
  })();
  await Promise.all(sessions);
  const { start, end } = await cpu;

  const wallMicros = options.seconds * 1e6;
  return {
    transport: options.transport,
    sessions: options.sessions,
    ...(options.rate ? { offeredRate: options.rate } : {}),
    turns: window.latencies.length,
    turnsPerSecond: round2(window.latencies.length / options.seconds),
    latencyMs: { p50: round2(percentile(window.latencies, 50)), p99: round2(percentile(window.latencies, 99)) },
    errors: window.errors,
    ...(start.server && end.server ? {
      serverCpuPercent: Math.round(((end.server.cpuMicros - start.server.cpuMicros) / wallMicros) * 100),
      serverLoopBusyPercent: Math.round(performance.eventLoopUtilization(end.server.loop, start.server.loop).utilization * 100),
    } : {}),
    clientCpuPercent: Math.round(((end.client - start.client) / wallMicros) * 100),
  };
}

/**
 * The dialogue's own cost: bot.handleMessage one turn at a time on the same
 * question stream, interleaving sessions as the load does, without HTTP.
 */
export async function measureBotTurns(bot: Bot, options: { seconds: number; warmupSeconds: number; sessions?: number }): Promise<BotTurnStats> {
  const sessions = options.sessions ?? 50;
  const next = Array.from({ length: sessions }, (_, n) => firstQuestion(n));
  const opensAt = performance.now() + options.warmupSeconds * 1000;
  const closesAt = opensAt + options.seconds * 1000;
  const latencies: number[] = [];
  for (let k = 0; performance.now() < closesAt; k += 1) {
    const n = k % sessions;
    const i = next[n]!;
    next[n] = i + 1;
    const text = BenchQuestions[i % BenchQuestions.length]!;
    const started = performance.now();
    await bot.handleMessage({ session: `bench-${process.pid}-${n}`, channel: 'web', text });
    if (started >= opensAt) latencies.push(performance.now() - started);
  }
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return { turns: latencies.length, ms: { p50: round2(percentile(latencies, 50)), p99: round2(percentile(latencies, 99)), mean: round2(mean) } };
}

/** Messages between the bench and its server child (and between a clustered child and its workers). */
type FromServer = { type: 'ready'; port: number; bot?: BotTurnStats } | ({ type: 'sample' } & ServerSample) | { type: 'no-sample' };
type ToServer = { type: 'sample' };

const sampleSelf = (): FromServer => ({ type: 'sample', cpuMicros: cpuMicros(), loop: performance.eventLoopUtilization() });

/**
 * The child: the demo stack on a temporary database, measured in-process first
 * (no load runs then), then served on loopback until the parent disconnects.
 * With `workers` > 1 the child is a cluster primary: each worker runs this
 * (the first's bot figures are reported), and the primary answers for them all.
 */
export async function serveForBench(dbFile: string, workers = 1, botSeconds = 5): Promise<number> {
  if (!process.send) throw new Error('--serve-for-bench is started by `banshi bench --channels`, with an IPC channel');
  if (workers > 1 && cluster.isPrimary) return primaryForBench(workers);
  // As `npm start` commits turns.
  const stack = await openStack({ dbFile, seedDemo: true, commitWindowMs: ServerCommitWindowMs });
  // Every worker runs the question stream first, so none meets the load cold (its code not yet compiled
  // hot, its caches empty) as a long-running server never does; the first worker's figures are reported.
  const warm = await measureBotTurns(stack.bot, { seconds: botSeconds, warmupSeconds: 1 });
  const bot = workerSlot() === 1 ? warm : undefined;
  const app = await buildApp({ logLevel: 'warn', rateLimitPerMinute: 0 }, stack);
  app.addHook('onClose', async () => { await stack.close(); });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`bench server: http://127.0.0.1:${port} (pid ${process.pid})\n`);
  const send = (message: FromServer): void => { process.send?.(message); };
  process.on('message', (message: unknown) => {
    if ((message as ToServer | undefined)?.type === 'sample') send(sampleSelf());
  });
  send({ type: 'ready', port, ...(bot ? { bot } : {}) });
  // The parent going away, however it ends, ends the server.
  await new Promise<void>((done) => process.once('disconnect', done));
  await app.close();
  return 0;
}

/** One worker's CPU and event-loop figures; undefined once it is gone. */
function sampleWorker(worker: Worker): Promise<ServerSample | undefined> {
  return new Promise((resolve) => {
    if (!worker.isConnected()) { resolve(undefined); return; }
    const onExit = (): void => { worker.off('message', onMessage); resolve(undefined); };
    const onMessage = (message: FromServer): void => {
      if (message.type !== 'sample') return;
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve({ cpuMicros: message.cpuMicros, loop: message.loop });
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.send({ type: 'sample' } satisfies ToServer);
  });
}

/** A clustered bench server: the workers' CPU summed, their event loops' busy share pooled. */
async function primaryForBench(count: number): Promise<number> {
  const started = await forkWorkers(count);
  const workers = started.map((w) => w.worker);
  process.on('message', (message: unknown) => {
    if ((message as ToServer | undefined)?.type !== 'sample') return;
    void Promise.all(workers.map(sampleWorker)).then((answers) => {
      // A worker that died takes its CPU figures with it: no figures rather than wrong ones.
      const samples = answers.filter((a): a is ServerSample => a !== undefined);
      if (samples.length < workers.length) { process.send?.({ type: 'no-sample' } satisfies FromServer); return; }
      const idle = samples.reduce((sum, s) => sum + s.loop.idle, 0);
      const active = samples.reduce((sum, s) => sum + s.loop.active, 0);
      process.send?.({
        type: 'sample', cpuMicros: samples.reduce((sum, s) => sum + s.cpuMicros, 0),
        loop: { idle, active, utilization: active / Math.max(idle + active, 1e-9) },
      } satisfies FromServer);
    });
  });
  const first = started[0]!.ready as Extract<FromServer, { type: 'ready' }>;
  process.send?.({ type: 'ready', port: first.port, ...(first.bot ? { bot: first.bot } : {}) } satisfies FromServer);
  await new Promise<void>((done) => process.once('disconnect', done));
  await stopWorkers();
  return 0;
}

/** The parent's handle on the server child. */
interface BenchServer {
  baseUrl: string;
  bot: BotTurnStats;
  sample(): Promise<ServerSample | undefined>;
  stop(): Promise<void>;
}

async function startServer(dbFile: string, workers: number, startTimeoutMs = 180_000): Promise<BenchServer> {
  const bin = fileURLToPath(new URL('../../bin/banshi.js', import.meta.url));
  // The child's stdout (its address, any warnings) goes to our stderr, off the table.
  const child: ChildProcess = spawn(process.execPath, [bin, 'bench', '--serve-for-bench', dbFile, '--workers', String(workers)], {
    stdio: ['ignore', process.stderr, 'inherit', 'ipc'], env: process.env,
  });
  const waiters: ((sample: ServerSample | undefined) => void)[] = [];
  // A server that dies mid-run answers no more questions: undefined, not a hang.
  const exited = new Promise<void>((done) => child.once('exit', () => {
    for (const waiter of waiters.splice(0)) waiter(undefined);
    done();
  }));
  const ready = await new Promise<{ port: number; bot: BotTurnStats }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench server did not start in time')), startTimeoutMs);
    child.on('message', (raw) => {
      const message = raw as FromServer;
      if (message.type === 'ready') {
        clearTimeout(timer);
        if (message.bot) resolve({ port: message.port, bot: message.bot });
        else reject(new Error('the bench server did not measure the bot'));
      }
      if (message.type === 'sample') waiters.shift()?.({ cpuMicros: message.cpuMicros, loop: message.loop });
      if (message.type === 'no-sample') waiters.shift()?.(undefined);
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the bench server exited with ${code}`)); });
  }).catch((error: unknown) => { child.kill('SIGKILL'); throw error; });
  return {
    baseUrl: `http://127.0.0.1:${ready.port}`,
    bot: ready.bot,
    sample: () => new Promise((resolve) => {
      if (!child.connected) { resolve(undefined); return; }
      waiters.push(resolve);
      child.send({ type: 'sample' } satisfies ToServer);
    }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface ChannelBenchOptions {
  seconds: number;
  /** Server processes. */
  workers: number;
  /** Open loop at this many turns per second; closed loop without it. */
  rate?: number | undefined;
  warmupSeconds: number;
  sessions: readonly number[];
  transports: readonly Transport[];
  /** Where the table lines go, as each step finishes. */
  out: (line: string) => void;
}

export interface ChannelBenchResult {
  workers: number;
  channels: ChannelStep[];
  botTurn: BotTurnStats;
}

const header = `${'transport'.padEnd(11)}${'sessions'.padStart(9)}${'turns'.padStart(8)}${'turns/s'.padStart(9)}`
  + `${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}${'server CPU'.padStart(12)}${'srv loop'.padStart(10)}${'srv CPU ms/turn'.padStart(17)}${'client CPU'.padStart(12)}`;

function row(step: ChannelStep): string {
  const server = step.serverCpuPercent;
  const perTurn = server !== undefined && step.turnsPerSecond > 0 ? ((server / 100) * 1000) / step.turnsPerSecond : undefined;
  return `${step.transport.padEnd(11)}${String(step.sessions).padStart(9)}${String(step.turns).padStart(8)}${step.turnsPerSecond.toFixed(0).padStart(9)}`
    + `${step.latencyMs.p50.toFixed(2).padStart(9)}${step.latencyMs.p99.toFixed(2).padStart(9)}${String(step.errors).padStart(8)}`
    + `${(server === undefined ? '–' : `${server}%`).padStart(12)}${(step.serverLoopBusyPercent === undefined ? '–' : `${step.serverLoopBusyPercent}%`).padStart(10)}`
    + `${(perTurn === undefined ? '–' : perTurn.toFixed(2)).padStart(17)}`
    + `${`${step.clientCpuPercent}%`.padStart(12)}`;
}

/** The whole channel benchmark: a server child, every transport × session count, the child stopped. */
export async function benchChannels(options: ChannelBenchOptions): Promise<ChannelBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'banshi-bench-'));
  let server: BenchServer | undefined;
  try {
    server = await startServer(join(dir, 'bench.db'), options.workers);
    const { bot } = server;
    options.out(`server: ${options.workers} worker process${options.workers > 1 ? 'es' : ''}; `
      + (options.rate ? `open loop, the sessions together asking ${options.rate} questions a second` : 'closed loop, each session asking again when answered'));
    // On a shared machine the cores are not all ours; say how busy it was.
    options.out(`load average before the steps: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    options.out(`bot.handleMessage in the server process, one turn at a time: ${bot.turns} turns, `
      + `p50 ${bot.ms.p50.toFixed(2)} ms, p99 ${bot.ms.p99.toFixed(2)} ms, mean ${bot.ms.mean.toFixed(2)} ms `
      + `(≈ ${(1000 / Math.max(bot.ms.mean, 0.001)).toFixed(0)} turns/s on one core)`);
    options.out(header);
    const channels: ChannelStep[] = [];
    for (const transport of options.transports) {
      for (const sessions of options.sessions) {
        const step = await runChannelStep({
          baseUrl: server.baseUrl, transport, sessions, seconds: options.seconds, warmupSeconds: options.warmupSeconds, serverProbe: server.sample,
          ...(options.rate ? { rate: options.rate } : {}),
        });
        channels.push(step);
        options.out(row(step));
      }
    }
    return { workers: options.workers, channels, botTurn: bot };
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
