// `npm start` / `banshi serve`: the only place that calls listen(). With WORKERS > 1
// this process is the cluster's primary and each worker runs the server below.
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp, loggerOptions } from '../../channels/index.ts';
import { parse } from '../args.ts';
import { loadConfig } from '../config.ts';
import { openStack, stackOptionsFor } from '../stack.ts';
import { superviseWorkers, workerSlot, type WorkerReady } from '../workers.ts';

export async function serve(args: string[]): Promise<number> {
  parse(args, {});
  const config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) {
    const log = pino(loggerOptions(config.logLevel));
    return superviseWorkers(config.workers, (message) => log.info(message));
  }
  const started = performance.now();
  const slot = workerSlot();
  const stack = await openStack(stackOptionsFor(config, undefined, slot));
  const app = await buildApp({
    logLevel: config.logLevel,
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    ...(config.publicUrl ? { kiosk: { publicUrl: config.publicUrl } } : {}),
    wechat: {
      ...config.wechat,
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    },
  }, stack);
  app.addHook('onClose', async () => { await stack.close(); });
  const address = await app.listen({ port: config.port, host: config.host });
  const base = address.replace('0.0.0.0', '127.0.0.1');
  app.log.info({ entries: stack.retriever.size(), readyMs: Math.round(performance.now() - started), dataDir: config.dataDir, pid: process.pid }, 'Banshi is ready');
  if (cluster.isWorker) process.send?.({ type: 'ready', port: (app.server.address() as AddressInfo).port } satisfies WorkerReady);
  // With several workers the first one says where everything is; the others would repeat it.
  if (slot === 1) {
    app.log.info(`portal with the web widget: ${base}/`);
    app.log.info(`kiosk: ${base}/kiosk   staff: ${base}/admin${config.adminToken ? '' : ' (set ADMIN_TOKEN to enable the staff API)'}`);
    app.log.info(`chat API: POST ${base}/api/chat   WebSocket: ${base.replace(/^http/, 'ws')}/ws   health: ${base}/healthz`);
    app.log.info(`WeChat callback: ${base}/wechat${config.wechat.token ? '' : ' (set WECHAT_TOKEN to enable)'}`);
  }
  await shutdownSignal(app);
  // A worker's channel to the primary would keep it alive.
  cluster.worker?.disconnect();
  return 0;
}

/** Graceful shutdown: stop accepting, finish in-flight turns, persist the index, close the database. */
async function shutdownSignal(app: FastifyInstance): Promise<void> {
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      // Ctrl-C reaches a cluster's workers twice: from the terminal and from the primary.
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      app.close().then(done, (error: unknown) => { app.log.error({ err: error }, 'shutdown failed'); done(); });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
