// The batch test (批量测试): staff upload eval cases, as JSON Lines in the
// CONTRACTS §4 format or as a CSV of question,expected_entry_id, and get the
// accuracy suite's report from the live bot. Turns run on channel 'eval', which
// analytics and the inbox leave out.
import { Type, type Static } from '@sinclair/typebox';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { Facets, type Facet, type Incoming, type Reply } from '../../bot/index.ts';
import { parseCases, runCases, summarize, type EvalCase, type Report } from '../../eval/index.ts';
import { allow } from './access.ts';
import type { AdminContext } from './context.ts';
import { AdminError } from './errors.ts';
import { bodyBytes } from './import-preview.ts';

/** A batch runs inside one request: beyond this, use `banshi eval`. */
export const MAX_BATCH_CASES = 2000;

const BatchQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')])) });

/**
 * CSV cases: question, expected_entry_id and an optional expected_facet. Several
 * acceptable ids are separated by `|`; an empty id means out of scope (the bot
 * should answer from no entry). A header row is recognised by its first cell.
 */
export function parseCsvCases(text: string): EvalCase[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    const line = error instanceof CsvError ? ` (第 ${String((error as CsvError & { lines?: number }).lines ?? '?')} 行)` : '';
    throw new AdminError('BAD_REQUEST', [`CSV 无法读取${line}：${(error as Error).message}`]);
  }
  const header = rows[0]?.[0]?.toLowerCase().replace(/\s+/g, '');
  const start = header === 'question' || header === '问题' ? 1 : 0;
  return rows.slice(start).map((row, i) => {
    const line = i + start + 1;
    const [question = '', expected = '', facet = ''] = row;
    if (!question) throw new AdminError('BAD_REQUEST', [`CSV 第 ${line} 行：问题是空的`]);
    if (facet && !(Facets as readonly string[]).includes(facet)) {
      throw new AdminError('BAD_REQUEST', [`CSV 第 ${line} 行：未知的方面 ${facet}（可用 ${Facets.join('、')}）`]);
    }
    const entries = expected.split('|').map((s) => s.trim()).filter(Boolean);
    const expect = entries.length === 0 ? { none: true } : { entries, ...(facet ? { facet: facet as Facet } : {}) };
    return { id: `line-${line}`, file: 'batch', turns: [{ say: question, expect }], multiTurn: false, outOfScope: entries.length === 0 };
  });
}

export async function batchTestRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  app.post<{ Querystring: Static<typeof BatchQuery> }>('/batch-test',
    { onRequest: allow('batch-test'), schema: { querystring: BatchQuery } }, async (request): Promise<Omit<Report, 'latencies'>> => {
      const text = bodyBytes(request.body).toString('utf8');
      const csv = request.query.format === 'csv'
        || (request.query.format === undefined && /^text\/csv\b/i.test(request.headers['content-type'] ?? ''));
      const cases = csv ? parseCsvCases(text) : parseCases(text, 'batch.jsonl');
      if (cases.length === 0) throw new AdminError('BAD_REQUEST', ['没有测试用例']);
      if (cases.length > MAX_BATCH_CASES) {
        throw new AdminError('BAD_REQUEST', [`一次最多 ${MAX_BATCH_CASES} 条用例，这里有 ${cases.length} 条；更多请用 npx banshi eval`]);
      }
      // Through the channel context, so shutdown waits for a batch under way; its per-turn log lines are left out.
      const log = request.log.child({ batch: cases.length }, { level: 'warn' });
      const bot = { handleMessage: (incoming: Incoming): Promise<Reply> => admin.ctx.turn(incoming, log) };
      const { latencies: _latencies, ...report } = summarize(await runCases(bot, cases));
      return report;
    });
}
