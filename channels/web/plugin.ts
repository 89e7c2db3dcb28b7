// The web channel: the demo portal at /, the embeddable widget at /widget.js and
// the other files of ./public, plus what the widget needs from the chat API when
// it is embedded on another site (CORS on /api/chat, a welcome over plain HTTP).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadAssets, type Asset } from '../assets.ts';
import type { ChannelContext } from '../context.ts';

/**
 * The page must always be revalidated; the widget may be cached briefly (it has
 * no versioned URL, so portals pick up a new release within minutes) and
 * revalidated cheaply through its ETag.
 */
const cachePolicy: Record<string, string> = {
  '.html': 'no-cache',
  '.js': 'public, max-age=300, must-revalidate',
};

function serve(asset: Asset) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<Buffer | FastifyReply> => {
    void reply.header('etag', asset.etag).header('cache-control', cachePolicy[asset.ext] ?? 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      // Embedding pages may be cross-origin isolated; the widget must still load there.
      .header('cross-origin-resource-policy', 'cross-origin');
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    void reply.type(asset.type);
    return asset.body;
  };
}

/** /api/chat and anything under it, whatever the query string. */
function isChatApi(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return path === '/api/chat' || path.startsWith('/api/chat/');
}

/**
 * Call on the root instance (not inside `register`): the CORS hook has to reach
 * /api/chat, which lives in the chat routes' own scope.
 */
export async function webPlugin(app: FastifyInstance, ctx: ChannelContext): Promise<void> {
  const assets = await loadAssets(new URL('./public/', import.meta.url));
  const index = assets.get('index.html');
  if (!index || !assets.has('widget.js')) throw new Error('channels/web/public must hold index.html and widget.js');

  // The widget runs on other sites' pages (data-server). Any origin may call the
  // chat API; no cookies are involved, so no credentials are allowed.
  // Not async: this runs on every request, and an async hook costs each one a promise.
  app.addHook('onRequest', (request, reply, done) => {
    if (isChatApi(request.url)) void reply.header('access-control-allow-origin', '*');
    done();
  });

  await app.register(async (scope) => {
    for (const path of ['/api/chat', '/api/chat/welcome']) {
      scope.options(path, async (_request, reply) => reply.status(204)
        .header('access-control-allow-methods', path === '/api/chat' ? 'POST, OPTIONS' : 'GET, OPTIONS')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400')
        .send());
    }

    // The greeting for a widget that cannot open a WebSocket (the /ws welcome frame's twin).
    scope.get('/api/chat/welcome', async () => ({ reply: ctx.bot.welcome() }));

    scope.get('/', serve(index));
    for (const [name, asset] of assets) {
      if (name !== 'index.html') scope.get(`/${name}`, serve(asset));
    }
  });
}
