// The hit test (命中测试): what retrieval makes of a wording, stage by stage,
// and the reply a citizen would get. The bot is asked in a throwaway session on
// channel 'hit-test', which analytics and the inbox leave out, and forgotten after.
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Reply } from '../../bot/index.ts';
import type { RetrievalResult, StageName } from '../../retrieval/index.ts';
import { allow } from './access.ts';
import type { AdminContext } from './context.ts';

export const HIT_TEST_CHANNEL = 'hit-test';
const StageNames: StageName[] = ['bm25', 'dense'];

const HitTestBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 1000 }),
  /** Limit the search to some stages, to see what each finds alone. */
  stages: Type.Optional(Type.Array(Type.Union([Type.Literal('bm25'), Type.Literal('dense')]), { minItems: 1 })),
  k: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
}, { additionalProperties: false });

export interface HitTestResult {
  query: { original: string; normalized: string; script: string; facet: string | null; cue: string | null; text: string; tokens: string[] };
  candidates: {
    entryId: string; title: string; kind: string | null; score: number;
    /** Each stage's rank and raw score; null when the stage did not find the entry. */
    stages: Record<StageName, { rank: number; score: number } | null>;
  }[];
  confidence: number;
  features: RetrievalResult['features'];
  timings: RetrievalResult['timings'];
  reply: Reply;
}

export async function hitTestRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  const { retriever, bot } = admin.ctx;
  app.post<{ Body: Static<typeof HitTestBody> }>('/hit-test',
    { onRequest: allow('hit-test'), schema: { body: HitTestBody } }, async (request): Promise<HitTestResult> => {
      const { text, stages, k } = request.body;
      const result = await retriever.search(text, { ...(stages ? { stages } : {}), ...(k ? { k } : {}) });
      const session = `hit-test-${randomBytes(8).toString('hex')}`;
      const reply = await admin.ctx.turn({ session, channel: HIT_TEST_CHANNEL, text }, request.log);
      await bot.reset(session, HIT_TEST_CHANNEL);
      const q = result.query;
      return {
        query: {
          original: q.normalized.original, normalized: q.normalized.text, script: q.normalized.script,
          facet: q.facet.facet, cue: q.facet.cue, text: q.text, tokens: q.tokens,
        },
        candidates: result.candidates.map((c) => ({
          entryId: c.entryId, title: c.title, kind: retriever.entry(c.entryId)?.kind ?? null, score: c.score,
          stages: Object.fromEntries(StageNames.map((s) => [s, c.stages[s] ?? null])) as HitTestResult['candidates'][number]['stages'],
        })),
        confidence: result.confidence,
        features: result.features,
        timings: result.timings,
        reply,
      };
    });
}
