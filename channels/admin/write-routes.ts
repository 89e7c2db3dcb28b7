// Writing FAQ entries and matter guides: CONTRACTS §3's FAQ endpoints and the
// same for matters. Every write is attributed to the caller, checked for
// wordings another entry already answers (FAQs), and live before the response.
//
// Status: a write is published unless the body says {"status":"draft"}, for
// editors too, because the contract makes a created FAQ answerable at once;
// a draft waits beside the live version until a reviewer publishes it
// (POST /entries/:id/publish).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KnowledgeError, type Entry, type EntryKind, type Faq, type Matter, type StoredEntry } from '../../knowledge/index.ts';
import { allow } from './access.ts';
import { assertNoConflicts } from './conflicts.ts';
import { actorOf, forced, ifMatch, requireIfMatch, type AdminContext } from './context.ts';
import { faqFromBody, matterFromBody } from './entry-input.ts';
import { AdminError } from './errors.ts';
import { entryView } from './views.ts';

interface IdParams { id: string }

/** The latest version of an entry of the kind the route is for; 404 otherwise. */
export function latestOfKind(admin: AdminContext, id: string, kind: EntryKind): StoredEntry {
  const stored = admin.ctx.store.getLatest(id);
  if (!stored || stored.entry.kind !== kind) throw new AdminError('NOT_FOUND', [`${kind === 'faq' ? '问答' : '办事指南'} ${id}`]);
  return stored;
}

/** Sends a stored entry with its version as the ETag, after the retriever has taken the change in. */
export async function sendLive(admin: AdminContext, reply: FastifyReply, stored: StoredEntry, status = 200): Promise<FastifyReply> {
  await admin.ctx.retriever.refresh();
  return reply.status(status).header('etag', `"${stored.version}"`).send(entryView(stored));
}

/** The stale-version check before slower work, so a stale write fails as VERSION_CONFLICT, not as something else. */
export function checkVersion(stored: StoredEntry, expected: number | null): void {
  if (expected !== null && expected !== stored.version) {
    // The store raises the same error inside its write transaction; this is only the early answer.
    throw new KnowledgeError('VERSION_CONFLICT', [stored.entry.id, expected], { details: stored });
  }
}

export async function writeRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  const { store } = admin.ctx;
  const threshold = admin.settings.conflictThreshold;

  const create = async (request: FastifyRequest, reply: FastifyReply, kind: EntryKind): Promise<FastifyReply> => {
    const input = kind === 'faq' ? faqFromBody(store, request.body, null) : matterFromBody(request.body, null);
    if (kind === 'faq') await assertNoConflicts(admin.ctx.retriever, input.entry, null, { force: forced(request.query), threshold });
    const stored = store.create(input.entry, { actor: actorOf(request), status: input.status });
    return sendLive(admin, reply, stored, 201);
  };

  const update = async (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, kind: EntryKind): Promise<FastifyReply> => {
    const expectedVersion = requireIfMatch(request);
    const current = latestOfKind(admin, request.params.id, kind);
    checkVersion(current, expectedVersion);
    const input: { entry: Entry; status: 'draft' | 'published' } = kind === 'faq'
      ? faqFromBody(store, request.body, current.entry as Faq)
      : matterFromBody(request.body, current.entry as Matter, request.params.id);
    if (kind === 'faq') await assertNoConflicts(admin.ctx.retriever, input.entry, current.entry, { force: forced(request.query), threshold });
    const stored = store.update(request.params.id, input.entry, { actor: actorOf(request), expectedVersion, status: input.status });
    return sendLive(admin, reply, stored);
  };

  const remove = async (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, kind: EntryKind): Promise<FastifyReply> => {
    const current = latestOfKind(admin, request.params.id, kind);
    const expectedVersion = ifMatch(request);
    store.remove(current.entry.id, { actor: actorOf(request), ...(expectedVersion !== null ? { expectedVersion } : {}) });
    await admin.ctx.retriever.refresh();
    return reply.status(204).send();
  };

  const edit = { onRequest: allow('edit') };
  for (const [path, kind] of [['/faqs', 'faq'], ['/matters', 'matter']] as const) {
    app.post(path, edit, (request, reply) => create(request, reply, kind));
    app.put<{ Params: IdParams }>(`${path}/:id`, edit, (request, reply) => update(request, reply, kind));
    app.delete<{ Params: IdParams }>(`${path}/:id`, edit, (request, reply) => remove(request, reply, kind));
  }
}
