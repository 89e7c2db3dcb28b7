// Bulk import and export of the knowledge base, for the FAQ sheet staff keep in
// Excel above all. Multipart would need a new package, so the file is the raw
// request body: Content-Type text/csv or the xlsx type, or ?format= for the rest.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { exportKnowledge, importSource, type ExportFormat } from '../../knowledge/index.ts';
import { allow } from './access.ts';
import { actorOf, type AdminContext } from './context.ts';
import { importFormatOf, previewUpload, withUpload, XLSX_TYPE } from './import-preview.ts';

const ImportQuery = Type.Object({ format: Type.Optional(Type.String()) });
const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('json')])),
});

const ExportTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: XLSX_TYPE,
  json: 'application/json; charset=utf-8',
};

export async function importRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  const { store, retriever } = admin.ctx;

  app.post<{ Querystring: Static<typeof ImportQuery> }>('/import/preview',
    { onRequest: allow('import-preview'), schema: { querystring: ImportQuery } }, async (request) => {
      const format = importFormatOf(request.query.format, request.headers['content-type']);
      return previewUpload(store, format, request.body);
    });

  app.post<{ Querystring: Static<typeof ImportQuery> }>('/import',
    { onRequest: allow('import'), schema: { querystring: ImportQuery } }, async (request) => {
      const format = importFormatOf(request.query.format, request.headers['content-type']);
      const report = await withUpload(request.body, format, (path) => importSource(store, format, path, actorOf(request)));
      await retriever.refresh();
      return { format, ...report };
    });

  app.get<{ Querystring: Static<typeof ExportQuery> }>('/export',
    { onRequest: allow('read'), schema: { querystring: ExportQuery } }, async (request, reply) => {
      const format = request.query.format ?? 'csv';
      const result = await exportKnowledge(store, format);
      const day = new Date().toISOString().slice(0, 10);
      const name = format === 'json' ? `banshi-${day}.json` : `banshi-faq-${day}.${format}`;
      return reply
        .header('content-type', ExportTypes[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-export-count', String(result.count))
        // Matter guides have no place in the FAQ sheet: say how many were left out.
        .header('x-export-skipped', String(result.skipped))
        .send(result.data);
    });
}
