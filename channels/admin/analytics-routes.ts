// GET /analytics (JSON) and /analytics.csv (the same figures for a spreadsheet).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entryTitle } from '../../knowledge/index.ts';
import { allow } from './access.ts';
import { analyticsCsv, computeAnalytics, type Analytics } from './analytics.ts';
import type { AdminContext } from './context.ts';
import { localDay, parseRange } from './time-range.ts';

const AnalyticsQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

/** Without `from`, the last 30 local days. */
export const DEFAULT_DAYS = 30;

export async function analyticsRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  const { store, retriever } = admin.ctx;
  const offset = admin.settings.timezoneOffsetMinutes;

  const compute = (request: FastifyRequest<{ Querystring: Static<typeof AnalyticsQuery> }>): Analytics => {
    const q = request.query;
    const from = q.from ?? localDay(new Date(Date.now() - (DEFAULT_DAYS - 1) * 86_400_000), offset);
    const range = parseRange({ from, to: q.to }, offset);
    return computeAnalytics(store.db, { ...range, ...(q.channel ? { channel: q.channel } : {}), offsetMinutes: offset }, (id) => {
      // Deleted entries keep their title in the figures: they were answered from in the period.
      const entry = retriever.entry(id) ?? store.getLatest(id)?.entry ?? null;
      return entry ? { title: entryTitle(entry), kind: entry.kind } : null;
    });
  };

  const options = { onRequest: allow('read'), schema: { querystring: AnalyticsQuery } };
  app.get<{ Querystring: Static<typeof AnalyticsQuery> }>('/analytics', options, async (request) => compute(request));
  app.get<{ Querystring: Static<typeof AnalyticsQuery> }>('/analytics.csv', options, async (request, reply) => {
    const figures = compute(request);
    const name = `banshi-analytics-${(figures.range.from ?? '').slice(0, 10)}-${(figures.range.to ?? localDay(new Date(), offset)).slice(0, 10)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(analyticsCsv(figures));
  });
}
