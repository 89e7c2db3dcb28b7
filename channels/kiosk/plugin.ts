// The self-service kiosk (自助服务一体机): the touch app at /kiosk, its catalogue,
// its own chat door (turns logged as channel 'kiosk'), the idle reset that wipes a
// conversation off a shared screen, and the one-time notification sheet as a
// phone page with a QR code generated here, never by a third-party service.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { renderSheet } from '../../bot/index.ts';
import { loadAssets } from '../assets.ts';
import { JsonChannel, type ChannelContext } from '../context.ts';
import { buildCatalog, type Catalog } from './catalog.ts';
import { renderMissingSheetPage, renderSheetPage, type SheetCard } from './sheet-page.ts';

export interface KioskOptions {
  /**
   * The absolute address phones reach this server at (e.g. behind a proxy or NAT),
   * used in the sheet's QR code; by default the address the kiosk itself used.
   */
  publicUrl?: string;
  /** Seconds without a touch before the screen clears itself; `/kiosk?idle=N` overrides it per terminal. */
  idleSeconds: number;
}

export const KioskDefaults: Readonly<KioskOptions> = Object.freeze({ idleSeconds: 90 });

const ChatBody = Type.Object({
  session: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  text: Type.String({ minLength: 1, maxLength: 1000 }),
}, { additionalProperties: false });

const ResetBody = Type.Object({
  session: Type.String({ minLength: 1, maxLength: 128 }),
}, { additionalProperties: false });

const EntryParams = Type.Object({ entryId: Type.String({ minLength: 1, maxLength: 128 }) });
const AssetParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+\\.(?:css|js|svg)$' }) });

// Everything is served from this origin: the kiosk must work in a hall without
// internet access, and a page that may load nothing else cannot leak a citizen's questions.
const PageSecurity = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function baseUrl(publicUrl: string | undefined, request: FastifyRequest): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

export function sheetPath(entryId: string): string {
  return `/kiosk/sheet/${encodeURIComponent(entryId)}`;
}

export async function kioskPlugin(app: FastifyInstance, ctx: ChannelContext, options: Partial<KioskOptions> = {}): Promise<void> {
  const settings: KioskOptions = { ...KioskDefaults, ...options };
  let publicUrl: string | undefined;
  if (settings.publicUrl) {
    const parsed = new URL(settings.publicUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`kiosk publicUrl must be http(s): ${settings.publicUrl}`);
    publicUrl = settings.publicUrl.replace(/\/+$/, '');
  }
  if (!Number.isFinite(settings.idleSeconds) || settings.idleSeconds < 1) {
    throw new TypeError(`kiosk idleSeconds must be a positive number of seconds: ${settings.idleSeconds}`);
  }
  const assets = await loadAssets(new URL('./public/', import.meta.url));
  const page = assets.get('index.html');
  if (!page) throw new Error('channels/kiosk/public/index.html is missing');
  const indexHtml = page.body.toString('utf8').replace('__IDLE_SECONDS__', String(settings.idleSeconds));

  const kiosk = new JsonChannel('kiosk', ctx);
  const sendHtml = (reply: FastifyReply, html: string, status = 200): FastifyReply =>
    reply.status(status).headers({ ...PageSecurity, 'content-type': page.type }).send(html);

  app.get('/kiosk', async (_request, reply) => sendHtml(reply, indexHtml));
  app.get('/kiosk/', async (_request, reply) => reply.redirect('/kiosk'));

  app.get<{ Params: Static<typeof AssetParams> }>('/kiosk/assets/:file', { schema: { params: AssetParams } }, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.status(404).send({ error: 'NOT_FOUND', message: `${request.params.file} not found` });
    return reply.headers({ 'content-type': asset.type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' }).send(asset.body);
  });

  // Recomputed only when the knowledge base changed, not on every start screen.
  let cached: { revision: number; catalog: Catalog } | null = null;
  app.get('/api/kiosk/catalog', async () => {
    const revision = ctx.store.revision();
    if (cached?.revision !== revision) cached = { revision, catalog: buildCatalog(ctx.store.liveEntries()) };
    return cached.catalog;
  });

  app.post<{ Body: Static<typeof ChatBody> }>('/api/kiosk/chat', { schema: { body: ChatBody } }, async (request) => {
    const session = ctx.sessions.resolve(request.body.session, 'kiosk');
    const reply = await kiosk.answer({ session, text: request.body.text }, request.log);
    return { session, reply };
  });

  app.post<{ Body: Static<typeof ResetBody> }>('/api/kiosk/reset', { schema: { body: ResetBody } }, async (request) => {
    // Only a session this server issued to a kiosk is wiped; anything else has nothing to forget.
    const claimed = request.body.session;
    const known = ctx.sessions.resolve(claimed, 'kiosk') === claimed;
    if (known) await ctx.bot.reset(claimed, 'kiosk');
    request.log.info({ channel: 'kiosk', reset: known }, 'kiosk reset');
    return { reset: known };
  });

  const sheetFor = async (entryId: string): Promise<{ card: SheetCard; department: string | null } | null> => {
    await ctx.retriever.refresh();
    const entry = ctx.retriever.entry(entryId);
    if (entry?.kind !== 'matter') return null;
    const card = renderSheet(entry).card;
    return card?.type === 'sheet' ? { card, department: entry.department ?? null } : null;
  };

  app.get<{ Params: Static<typeof EntryParams> }>('/kiosk/sheet/:entryId', { schema: { params: EntryParams } }, async (request, reply) => {
    const sheet = await sheetFor(request.params.entryId);
    if (!sheet) return sendHtml(reply, renderMissingSheetPage(), 404);
    return sendHtml(reply, renderSheetPage({ ...sheet, qrPath: `${sheetPath(sheet.card.entryId)}/qr.svg` }));
  });

  app.get<{ Params: Static<typeof EntryParams> }>('/kiosk/sheet/:entryId/qr.svg', { schema: { params: EntryParams } }, async (request, reply) => {
    const sheet = await sheetFor(request.params.entryId);
    if (!sheet) return reply.status(404).send({ error: 'NOT_FOUND', message: `matter ${request.params.entryId} not found` });
    const target = `${baseUrl(publicUrl, request)}${sheetPath(sheet.card.entryId)}`;
    // Level M survives a scuffed or poorly printed code; the margin is the quiet zone scanners need.
    const svg = await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return reply.headers({ 'content-type': 'image/svg+xml', 'cache-control': 'no-cache', 'x-qr-target': encodeURI(target) }).send(svg);
  });
}
