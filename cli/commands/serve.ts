// `npm start` / `banshi serve`: the only place that calls listen().
import { buildApp } from '../../channels/index.ts';
import { parse } from '../args.ts';
import { loadConfig } from '../config.ts';
import { openStack, stackOptionsFor } from '../stack.ts';

export async function serve(args: string[]): Promise<number> {
  parse(args, {});
  const config = loadConfig();
  const started = performance.now();
  const stack = await openStack(stackOptionsFor(config));
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
  app.log.info({ entries: stack.retriever.size(), readyMs: Math.round(performance.now() - started), dataDir: config.dataDir }, 'Banshi is ready');
  app.log.info(`portal with the web widget: ${base}/`);
  app.log.info(`kiosk: ${base}/kiosk   staff: ${base}/admin${config.adminToken ? '' : ' (set ADMIN_TOKEN to enable the staff API)'}`);
  app.log.info(`chat API: POST ${base}/api/chat   WebSocket: ${base.replace(/^http/, 'ws')}/ws   health: ${base}/healthz`);
  app.log.info(`WeChat callback: ${base}/wechat${config.wechat.token ? '' : ' (set WECHAT_TOKEN to enable)'}`);

  // Graceful shutdown: stop accepting, finish in-flight turns, persist the index, close the database.
  await new Promise<void>((done) => {
    const stop = (signal: string): void => {
      app.log.info({ signal }, 'shutting down');
      app.close().then(done, (error: unknown) => { app.log.error({ err: error }, 'shutdown failed'); done(); });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
