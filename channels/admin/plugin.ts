// The staff API under /api/admin (README.md in this folder lists every endpoint).
// Login is the only route outside the authenticated scope; every other route
// names the action it performs, and the caller's role must allow it.
import type { FastifyInstance } from 'fastify';
import type { ChannelContext } from '../context.ts';
import { StaffAccounts, type AccountsOptions } from './accounts.ts';
import { authenticator } from './access.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import { accountRoutes, loginRoutes } from './auth-routes.ts';
import { AdminDefaults, type AdminContext, type AdminSettings } from './context.ts';
import { batchTestRoutes } from './batch-test.ts';
import { entryRoutes } from './entry-routes.ts';
import { adminErrorHandler } from './errors.ts';
import { hitTestRoutes } from './hit-test.ts';
import { Inbox } from './inbox.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { importRoutes } from './import-routes.ts';
import { Suggestions } from './suggestions.ts';
import { writeRoutes } from './write-routes.ts';

export interface AdminOptions extends Partial<AdminSettings> {
  accounts?: Partial<AccountsOptions>;
}

/** Bodies read as raw bytes: spreadsheet and case files are not JSON. */
export const RawContentTypes = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
  'application/x-ndjson',
  'application/jsonl',
  'application/xml',
  'text/xml',
] as const;

export async function adminPlugin(app: FastifyInstance, channel: ChannelContext, options: AdminOptions = {}): Promise<void> {
  const { accounts: accountOptions, ...settings } = options;
  const admin: AdminContext = {
    ctx: channel,
    accounts: new StaffAccounts(channel.store.db, accountOptions),
    settings: { ...AdminDefaults, ...settings },
  };
  const inbox = new Inbox(channel.store.db);
  app.setErrorHandler(adminErrorHandler);
  app.addContentTypeParser([...RawContentTypes], { parseAs: 'buffer', bodyLimit: admin.settings.uploadLimit },
    (_request, body, done) => { done(null, body); });
  // JSON Lines case files are often sent as text/plain; the default parser would cap them at the app's body limit.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'buffer', bodyLimit: admin.settings.uploadLimit },
    (_request, body, done) => { done(null, body); });

  const authenticate = authenticator(admin.accounts, admin.settings.token);
  // Unknown staff paths want credentials too, so that without them nothing tells which paths exist.
  app.setNotFoundHandler(async (request, reply) => {
    await authenticate(request);
    return reply.status(404).send({ error: 'NOT_FOUND', message: `${request.method} ${request.url} not found` });
  });

  await app.register(async (open) => loginRoutes(open, admin));
  await app.register(async (secured) => {
    secured.addHook('onRequest', authenticate);
    await accountRoutes(secured, admin);
    await writeRoutes(secured, admin);
    await entryRoutes(secured, admin);
    await hitTestRoutes(secured, admin);
    await importRoutes(secured, admin);
    await batchTestRoutes(secured, admin);
    await inboxRoutes(secured, admin, inbox, new Suggestions(channel.store.db, channel.store));
    await analyticsRoutes(secured, admin);
  });
}
