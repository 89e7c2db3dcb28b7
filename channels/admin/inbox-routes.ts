// The unanswered inbox and the suggested alternates, with their one-click actions.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { allow } from './access.ts';
import { assertNoConflicts } from './conflicts.ts';
import { actorOf, forced, type AdminContext } from './context.ts';
import { faqFromBody } from './entry-input.ts';
import { AdminError } from './errors.ts';
import { hasMaskedData, type Inbox, type InboxCluster } from './inbox.ts';
import type { Suggestions } from './suggestions.ts';
import { parseRange } from './time-range.ts';
import { entryView } from './views.ts';
import { addWordings } from './wordings.ts';

const RangeQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  force: Type.Optional(Type.Boolean()),
});
const InboxQuery = Type.Composite([RangeQuery, Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
})]);
const ClusterParams = Type.Object({ clusterId: Type.String({ pattern: '^[0-9a-f]{12}$' }) });
const AttachBody = Type.Object({ entryId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
const SeqParams = Type.Object({ seq: Type.Integer({ minimum: 1 }) });

type ClusterRequest = { Params: Static<typeof ClusterParams>; Querystring: Static<typeof RangeQuery> };

/** Examples shown per cluster: enough to judge it, few enough to scan a long inbox. */
const EXAMPLES = 5;

export async function inboxRoutes(app: FastifyInstance, admin: AdminContext, inbox: Inbox, suggestions: Suggestions): Promise<void> {
  const { store, retriever } = admin.ctx;
  const read = { onRequest: allow('read') };
  const curate = { onRequest: allow('curate') };
  const offset = admin.settings.timezoneOffsetMinutes;

  const cluster = (request: { params: Static<typeof ClusterParams>; query: Static<typeof RangeQuery> }): InboxCluster => {
    // Recomputed from the same range the inbox was listed with (pass the same from/to).
    const found = inbox.find(request.params.clusterId, parseRange(request.query, offset));
    if (!found) throw new AdminError('NOT_FOUND', [`待处理问题组 ${request.params.clusterId}（可能已处理，或列表范围不同）`]);
    return found;
  };
  /** The cluster's wordings, most asked first: the candidates for alternates. */
  const wordings = (c: InboxCluster): string[] => c.examples.map((e) => e.text);

  app.get<{ Querystring: Static<typeof InboxQuery> }>('/inbox', { ...read, schema: { querystring: InboxQuery } }, async (request) => {
    const clusters = inbox.clusters(parseRange(request.query, offset));
    const start = request.query.offset ?? 0;
    const page = clusters.slice(start, start + (request.query.limit ?? 50));
    const items = [];
    for (const c of page) {
      // What retrieval offers for the most asked wording: usually the entry to attach the cluster to.
      const result = await retriever.search(c.text, { k: 1 });
      const top = result.candidates[0];
      const { turns: _turns, examples, ...rest } = c;
      items.push({
        ...rest, examples: examples.slice(0, EXAMPLES),
        suggestedEntry: top ? { entryId: top.entryId, title: top.title, kind: retriever.entry(top.entryId)?.kind ?? null, confidence: result.confidence } : null,
      });
    }
    return { total: clusters.length, offset: start, items };
  });

  app.get('/inbox/resolutions', read, async () => ({ resolutions: inbox.resolutions() }));

  app.post<ClusterRequest & { Body: Static<typeof AttachBody> }>('/inbox/:clusterId/attach',
    { ...curate, schema: { params: ClusterParams, querystring: RangeQuery, body: AttachBody } }, async (request) => {
      const c = cluster(request);
      const { stored, added, skipped } = await addWordings(admin, request, request.body.entryId, wordings(c));
      inbox.resolve(c, 'attach', stored.entry.id, actorOf(request));
      return { clusterId: c.id, added, skipped, ...entryView(stored) };
    });

  app.post<ClusterRequest>('/inbox/:clusterId/new-faq',
    { ...curate, schema: { params: ClusterParams, querystring: RangeQuery } }, async (request, reply) => {
      const c = cluster(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      // Wordings come from the masked turn log; those that still show masked personal data are left out.
      const usable = wordings(c).filter((t) => !hasMaskedData(t));
      const question = body['question'] ?? usable[0];
      if (question === undefined) {
        throw new AdminError('BAD_REQUEST', ['这一组问题都含有个人信息，请在 question 中写出问题'], { fields: { field: '/question' } });
      }
      const input = faqFromBody(store, {
        ...body, question, alternates: body['alternates'] ?? usable.filter((t) => t !== question),
      }, null);
      await assertNoConflicts(retriever, input.entry, null, { force: forced(request.query), threshold: admin.settings.conflictThreshold });
      const stored = store.create(input.entry, { actor: actorOf(request), status: input.status });
      await retriever.refresh();
      inbox.resolve(c, 'new-faq', stored.entry.id, actorOf(request));
      return reply.status(201).send({ clusterId: c.id, ...entryView(stored) });
    });

  app.post<ClusterRequest>('/inbox/:clusterId/dismiss',
    { ...curate, schema: { params: ClusterParams, querystring: RangeQuery } }, async (request) => {
      const c = cluster(request);
      inbox.resolve(c, 'dismiss', null, actorOf(request));
      return { clusterId: c.id, dismissed: c.count };
    });

  app.get('/suggestions', read, async () => ({ items: suggestions.list() }));

  app.post<{ Params: Static<typeof SeqParams>; Querystring: Static<typeof RangeQuery> }>('/suggestions/:seq/accept',
    { ...curate, schema: { params: SeqParams, querystring: RangeQuery } }, async (request) => {
      const turn = suggestions.turn(request.params.seq);
      if (!turn) throw new AdminError('NOT_FOUND', [`建议 ${request.params.seq}`]);
      const { stored, added, skipped } = await addWordings(admin, request, turn.entryId, [turn.text]);
      suggestions.decide(turn.text, turn.entryId, 'accepted', actorOf(request));
      return { seq: turn.seq, decision: 'accepted', added, skipped, ...entryView(stored) };
    });

  app.post<{ Params: Static<typeof SeqParams> }>('/suggestions/:seq/reject',
    { ...curate, schema: { params: SeqParams } }, async (request) => {
      const turn = suggestions.turn(request.params.seq);
      if (!turn) throw new AdminError('NOT_FOUND', [`建议 ${request.params.seq}`]);
      suggestions.decide(turn.text, turn.entryId, 'rejected', actorOf(request));
      return { seq: turn.seq, decision: 'rejected', entryId: turn.entryId };
    });
}
