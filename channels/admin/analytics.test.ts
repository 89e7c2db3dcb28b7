// Analytics against a known set of turns: the figures must add up to exactly
// what citizens sent, with staff and evaluation traffic left out.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/index.ts';
import { testApp } from '../../test/harness.ts';
import type { Analytics } from './analytics.ts';
import { call, chat, OPERATOR_TOKEN } from './testing.ts';

let app: FastifyInstance;
const replies: { channel: string; session: string; reply: Reply }[] = [];
const ID_NUMBER = '110101199003071234';

async function say(text: string, session?: string): Promise<string> {
  const answer = await chat(app, text, session);
  replies.push({ channel: 'web', session: answer.session, reply: answer.reply });
  return answer.session;
}

beforeAll(async () => {
  ({ app } = await testApp({ adminToken: OPERATOR_TOKEN }));
  const passport = await say('办护照要带什么');
  await say('要多少钱', passport);
  const library = await say('市图书馆几点开门');
  await say('转人工', library);
  const divorce = await say('老公死活不肯离，我一个人去民政局能离吗');
  await say('1', divorce);
  await say('谢谢', divorce);
  await say('满意', divorce);
  await say(`我的身份证号${ID_NUMBER}帮我查下`);
  const kiosk = await app.inject({ method: 'POST', url: '/api/kiosk/chat', payload: { text: '结婚登记要带什么' } });
  const k = kiosk.json<{ session: string; reply: Reply }>();
  replies.push({ channel: 'kiosk', session: k.session, reply: k.reply });
  // Staff traffic, which must not count.
  await call(app, '/api/admin/hit-test', { body: { text: '办护照要带什么' } });
  await call(app, '/api/admin/batch-test', { body: '{"id":"x","query":"办护照要带什么","expect":{"entries":["demo-passport"]}}', headers: { 'content-type': 'text/plain' } });
});

afterAll(async () => {
  await app.close();
});

const count = (kinds: string[]): number => replies.filter((r) => kinds.includes(r.reply.kind)).length;

describe('GET /api/admin/analytics', () => {
  it('counts exactly the citizens\' conversations and turns, by day, channel and outcome', async () => {
    const response = await call(app, '/api/admin/analytics');
    expect(response.statusCode).toBe(200);
    const a = response.json<Analytics>();
    // Analytics must agree with what the bot actually replied, whatever it chose for each wording.
    const questions = count(['answer', 'guide', 'clarify', 'fallback', 'handoff']);
    const answered = count(['answer', 'guide']);
    const clarified = count(['clarify']);
    const fallback = count(['fallback']);
    const handoff = count(['handoff']);
    expect(handoff).toBe(1);
    expect(count(['rating'])).toBe(2);
    const rate = (n: number): number => Math.round((n / questions) * 10000) / 10000;
    expect(a.totals).toEqual({
      conversations: 5, turns: 10, questions, answered, clarified, fallback, handoff,
      rates: { answered: rate(answered), clarified: rate(clarified), fallback: rate(fallback), handoff: rate(handoff) },
    });
    expect(a.byDay.reduce((s, d) => s + d.turns, 0)).toBe(10);
    expect(a.byChannel.map((c) => [c.channel, c.conversations, c.turns])).toEqual([['web', 4, 9], ['kiosk', 1, 1]]);
    expect(a.busiestHours).toHaveLength(24);
    expect(a.busiestHours.reduce((s, h) => s + h.turns, 0)).toBe(10);
    expect(a.topEntries[0]).toEqual({ entryId: 'demo-passport', title: '普通护照申领', kind: 'matter', count: 2 });
    expect(a.facets).toEqual(expect.arrayContaining([{ facet: 'materials', count: 2 }, { facet: 'fees', count: 1 }]));
    expect(a.satisfaction).toEqual([{ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), counts: { 满意: 1, 基本满意: 0, 不满意: 0 }, total: 1 }]);
  });

  it('filters by channel and by date', async () => {
    const kiosk = (await call(app, '/api/admin/analytics?channel=kiosk')).json<Analytics>();
    expect(kiosk.totals).toMatchObject({ conversations: 1, turns: 1, answered: 1 });
    const past = (await call(app, '/api/admin/analytics?from=2020-01-01&to=2020-01-31')).json<Analytics>();
    expect(past.totals.turns).toBe(0);
    expect(past.range).toMatchObject({ from: '2019-12-31T16:00:00.000Z', to: '2020-01-31T16:00:00.000Z', timezoneOffsetMinutes: 480 });
    expect((await call(app, '/api/admin/analytics?from=yesterday')).statusCode).toBe(400);
  });

  it('shows what citizens asked with their ID numbers masked', async () => {
    const response = await call(app, '/api/admin/analytics');
    expect(response.body).not.toContain(ID_NUMBER);
    const a = response.json<Analytics>();
    expect(a.topQuestions.map((q) => q.text)).toContain('我的身份证号110101********1234帮我查下');
  });

  it('gives the same figures as CSV', async () => {
    const response = await call(app, '/api/admin/analytics.csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="banshi-analytics-.*\.csv"$/);
    const lines = response.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('section,key,metric,value');
    expect(lines).toEqual(expect.arrayContaining([
      'totals,all,conversations,5', 'totals,all,turns,10', 'totals,all,answered_rate,0.5', 'channel,kiosk,turns,1',
      'entry,demo-passport 普通护照申领,answers,2',
    ]));
    expect(response.body).not.toContain(ID_NUMBER);
  });
});
