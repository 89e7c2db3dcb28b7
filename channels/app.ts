// Builds the server (never starts it): fastify with body limits, a rate limit per
// client, masked logs, one error handler, and each channel as a plugin.
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { adminPlugin } from './admin/plugin.ts';
import { adminUiPlugin } from './admin/ui.ts';
import { chatRoutes } from './api/chat.ts';
import { createChannelContext, type ChannelDeps } from './context.ts';
import { errorHandler } from './errors.ts';
import { kioskPlugin, type KioskOptions } from './kiosk/plugin.ts';
import { AccessLog, loggerOptions } from './logger.ts';
import { webPlugin } from './web/plugin.ts';
import { wechatPlugin, type WechatOptions } from './wechat/plugin.ts';

export interface AppConfig {
  logLevel: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Requests per minute per client address; 0 disables the limit (benchmarks). */
  rateLimitPerMinute: number;
  /** The operator's staff-API credential (ADMIN_TOKEN); without it /api/admin refuses every call. */
  adminToken?: string;
  /** The self-service kiosk: its public address for QR codes, its idle timeout. */
  kiosk?: Partial<KioskOptions>;
  /** The WeChat callback; without a token /wechat answers 503. */
  wechat?: WechatOptions;
}

export const AppDefaults: AppConfig = { logLevel: 'info', bodyLimit: 64 * 1024, rateLimitPerMinute: 300 };

export async function buildApp(config: Partial<AppConfig>, deps: ChannelDeps): Promise<FastifyInstance> {
  const settings = { ...AppDefaults, ...config };
  const app = Fastify({
    logger: loggerOptions(settings.logLevel),
    logController: new AccessLog(),
    bodyLimit: settings.bodyLimit,
    // Graceful shutdown: stop accepting, let in-flight requests finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const ctx = createChannelContext(deps);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: 'NOT_FOUND', message: `${request.method} ${request.url} not found` });
  });
  if (settings.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: settings.rateLimitPerMinute,
      timeWindow: '1 minute',
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429, error: 'RATE_LIMITED', message: `too many requests: at most ${context.max} a minute, retry in ${context.after}`,
      }),
    });
  }
  await app.register(websocket, { options: { maxPayload: settings.bodyLimit } });
  app.addHook('onClose', async () => { await ctx.drain(); });

  app.get('/healthz', async () => ({ status: 'ok', entries: deps.retriever.size() }));
  await app.register(async (scope) => chatRoutes(scope, ctx, { messagesPerMinute: settings.rateLimitPerMinute }));
  await app.register(async (scope) => adminPlugin(scope, ctx, { token: settings.adminToken }), { prefix: '/api/admin' });
  await app.register(async (scope) => adminUiPlugin(scope));
  // On the root, not in a scope of its own: its CORS hook must reach /api/chat.
  await webPlugin(app, ctx);
  await app.register(async (scope) => kioskPlugin(scope, ctx, settings.kiosk ?? {}));
  await app.register(async (scope) => wechatPlugin(scope, ctx, settings.wechat ?? {}));
  return app;
}
