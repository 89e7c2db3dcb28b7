// Curation of any entry: browse and search, one entry with its live version,
// its history and audit trail, a diff between any two versions, and the
// reviewer's publish and rollback, the editor's restore.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoredEntry, VersionInfo } from '../../knowledge/index.ts';
import { allow } from './access.ts';
import { actorOf, ifMatch, requireIfMatch, type AdminContext } from './context.ts';
import { diffValues } from './diff.ts';
import { AdminError } from './errors.ts';
import { entryRow, entryView } from './views.ts';
import { latestOfKind, sendLive } from './write-routes.ts';

const ListQuery = Type.Object({
  text: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.Union([Type.Literal('faq'), Type.Literal('matter')])),
  department: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published')])),
  tag: Type.Optional(Type.String()),
  deleted: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
const DiffQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 1 })),
  to: Type.Optional(Type.Integer({ minimum: 1 })),
});
const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const AuditQuery = Type.Object({
  entryId: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

type IdRequest = FastifyRequest<{ Params: Static<typeof IdParams> }>;

/**
 * The content in effect at a version. Deleting and restoring raise the version
 * without new content, so a version may have no row of its own: the row before it holds its content.
 */
export function contentAt(history: VersionInfo[], version: number): VersionInfo | null {
  let found: VersionInfo | null = null;
  for (const v of history) if (v.version <= version) found = v;
  return found;
}

export async function entryRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  const { store } = admin.ctx;
  const read = { onRequest: allow('read') };

  const latest = (id: string): StoredEntry => {
    const stored = store.getLatest(id);
    if (!stored) throw new AdminError('NOT_FOUND', [`条目 ${id}`]);
    return stored;
  };
  const writeOptions = (request: IdRequest): { actor: string; expectedVersion?: number } => {
    const expectedVersion = ifMatch(request);
    return { actor: actorOf(request), ...(expectedVersion !== null ? { expectedVersion } : {}) };
  };

  const list = (q: Static<typeof ListQuery>): { total: number; limit: number; offset: number; items: ReturnType<typeof entryRow>[] } => {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { total, items } = store.list({
      ...(q.text ? { text: q.text } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.department ? { department: q.department } : {}),
      ...(q.source ? { source: q.source } : {}), ...(q.status ? { status: q.status } : {}), ...(q.tag ? { tag: q.tag } : {}),
      includeDeleted: q.deleted === true, limit, offset,
    });
    return { total, limit, offset, items: items.map(entryRow) };
  };
  const one = (stored: StoredEntry, reply: FastifyReply): FastifyReply => {
    const live = store.getLive(stored.entry.id);
    return reply.header('etag', `"${stored.version}"`).send({ ...entryView(stored), live: live?.entry ?? null });
  };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/entries', { ...read, schema: { querystring: ListQuery } },
    async (request) => list(request.query));
  // The same, per kind, beside the kind's write endpoints.
  for (const [path, kind] of [['/faqs', 'faq'], ['/matters', 'matter']] as const) {
    app.get<{ Querystring: Static<typeof ListQuery> }>(path, { ...read, schema: { querystring: ListQuery } },
      async (request) => list({ ...request.query, kind }));
    app.get<{ Params: Static<typeof IdParams> }>(`${path}/:id`, { ...read, schema: { params: IdParams } },
      async (request, reply) => one(latestOfKind(admin, request.params.id, kind), reply));
  }

  app.get('/stats', read, async () => store.stats());

  app.get<{ Params: Static<typeof IdParams> }>('/entries/:id', { ...read, schema: { params: IdParams } },
    async (request, reply) => one(latest(request.params.id), reply));

  app.get<{ Params: Static<typeof IdParams> }>('/entries/:id/history', { ...read, schema: { params: IdParams } }, async (request) => {
    const stored = latest(request.params.id);
    return {
      id: stored.entry.id, version: stored.version, publishedVersion: stored.publishedVersion,
      versions: store.history(stored.entry.id),
      audit: store.auditTrail({ entryId: stored.entry.id, limit: 1000 }),
    };
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof DiffQuery> }>('/entries/:id/diff',
    { ...read, schema: { params: IdParams, querystring: DiffQuery } }, async (request) => {
      const stored = latest(request.params.id);
      const history = store.history(stored.entry.id);
      const to = request.query.to ?? stored.version;
      const toContent = contentAt(history, to);
      // By default, against the content just before `to`: "what did the last change do?"
      const from = request.query.from ?? (toContent ? Math.max(1, toContent.version - 1) : 1);
      const fromContent = contentAt(history, from);
      if (!toContent || to > stored.version) throw new AdminError('NOT_FOUND', [`${stored.entry.id} 的版本 ${to}`]);
      if (!fromContent || from > stored.version) throw new AdminError('NOT_FOUND', [`${stored.entry.id} 的版本 ${from}`]);
      return {
        id: stored.entry.id, from, to, fromStatus: fromContent.status, toStatus: toContent.status,
        changes: diffValues(fromContent.entry, toContent.entry),
      };
    });

  app.post<{ Params: Static<typeof IdParams> }>('/entries/:id/publish',
    { onRequest: allow('publish'), schema: { params: IdParams } }, async (request, reply) => {
      const expectedVersion = requireIfMatch(request);
      return sendLive(admin, reply, store.publish(latest(request.params.id).entry.id, { actor: actorOf(request), expectedVersion }));
    });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RollbackBody> }>('/entries/:id/rollback',
    { onRequest: allow('rollback'), schema: { params: IdParams, body: RollbackBody } }, async (request, reply) => {
      const stored = latest(request.params.id);
      const target = contentAt(store.history(stored.entry.id), request.body.version);
      if (!target || request.body.version > stored.version) throw new AdminError('NOT_FOUND', [`${stored.entry.id} 的版本 ${request.body.version}`]);
      return sendLive(admin, reply, store.rollback(stored.entry.id, target.version, writeOptions(request)));
    });

  app.post<{ Params: Static<typeof IdParams> }>('/entries/:id/restore',
    { onRequest: allow('edit'), schema: { params: IdParams } }, async (request, reply) =>
      sendLive(admin, reply, store.restore(latest(request.params.id).entry.id, writeOptions(request))));

  app.get<{ Querystring: Static<typeof AuditQuery> }>('/audit', { ...read, schema: { querystring: AuditQuery } }, async (request) => {
    const { entryId, actor, limit = 100 } = request.query;
    // The store filters by entry; the actor filter looks further back so a busy trail still yields `limit` rows.
    const records = store.auditTrail({ ...(entryId ? { entryId } : {}), limit: actor ? limit * 20 : limit });
    return { records: (actor ? records.filter((r) => r.actor === actor) : records).slice(0, limit) };
  });
}
