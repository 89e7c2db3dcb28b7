// The staff curation interface (CONTRACTS §3: GET /admin): a static single-page
// app from ./public with no build step, talking to the staff API under
// /api/admin only. The page itself is public; every figure it shows needs a token.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { loadAssets, type Asset } from '../assets.ts';

const AssetParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+\\.(?:css|js|svg)$' }) });

// Nothing is loaded from elsewhere: offices may run without internet access, and a
// page holding a staff token must not be able to send it, or citizens' questions, anywhere else.
const Security = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
  // A new release must reach every open desk at its next load.
  'cache-control': 'no-cache',
};

export async function adminUiPlugin(app: FastifyInstance): Promise<void> {
  const assets = await loadAssets(new URL('./public/', import.meta.url));
  const page = assets.get('index.html');
  if (!page) throw new Error('channels/admin/public/index.html is missing');

  const send = (reply: FastifyReply, asset: Asset): FastifyReply => reply.headers({ ...Security, 'content-type': asset.type }).send(asset.body);

  app.get('/admin', async (_request, reply) => send(reply, page));
  app.get('/admin/', async (_request, reply) => reply.redirect('/admin'));
  app.get<{ Params: Static<typeof AssetParams> }>('/admin/assets/:file', { schema: { params: AssetParams } }, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.status(404).send({ error: 'NOT_FOUND', message: `${request.params.file} not found` });
    return send(reply, asset);
  });
}
