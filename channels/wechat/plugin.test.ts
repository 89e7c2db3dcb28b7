// The callback end to end: real signatures and XML through app.inject() on the
// real server and bot over the demo knowledge base.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot, Reply } from '../../bot/index.ts';
import type { Stack } from '../../cli/stack.ts';
import { testApp, testStack } from '../../test/harness.ts';
import { buildApp, type AppConfig } from '../app.ts';
import type { WechatOptions } from './plugin.ts';
import {
  AccountId, TestAesKey, TestAppId, TestToken, encryptedRequest, signatureOf, signedQuery, startFakeWechatApi,
  wechatDecrypt, wechatEncrypt, wechatXml, type FakeWechatApi,
} from './testing.ts';
import { parseWechatXml } from './xml.ts';

const PublicUrl = 'https://banshi.example.gov.cn';
let citizens = 0;
/** A fresh OpenID per test, so that conversations and turn counts do not mix. */
const newCitizen = (): string => `oCitizen${String(++citizens).padStart(6, '0')}`;

function post(app: FastifyInstance, body: string, query = signedQuery()): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/wechat?${query}`, headers: { 'content-type': 'text/xml' }, payload: body });
}

function textOf(response: LightMyRequestResponse): Record<string, string> {
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/xml/);
  return parseWechatXml(response.body);
}

function turnsOf(stack: Stack, openId: string): number {
  return (stack.db.prepare('SELECT COUNT(*) AS n FROM turns WHERE session = ?').get(`wechat:${openId}`) as { n: number }).n;
}

describe('WeChat callback (plain mode)', () => {
  let app: FastifyInstance;
  let stack: Stack;
  beforeAll(async () => {
    ({ app, stack } = await testApp({ wechat: { token: TestToken, appId: TestAppId, publicUrl: PublicUrl } }));
  });
  afterAll(async () => { await app.close(); });

  describe('URL verification', () => {
    it('echoes echostr when the signature is right', async () => {
      const response = await app.inject({ method: 'GET', url: `/wechat?${signedQuery({ extra: { echostr: '5837397749' } })}` });
      expect([response.statusCode, response.body]).toEqual([200, '5837397749']);
    });

    it('refuses a wrong signature with 401 and does not echo', async () => {
      const response = await app.inject({ method: 'GET', url: `/wechat?${signedQuery({ token: 'not-ours', extra: { echostr: '5837397749' } })}` });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
      expect(response.body).not.toContain('5837397749');
    });

    it('answers 400 when a parameter is missing', async () => {
      const response = await app.inject({ method: 'GET', url: `/wechat?${signedQuery()}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'BAD_REQUEST' });
    });
  });

  it('answers a text question, addressed back to the citizen', async () => {
    const citizen = newCitizen();
    const before = Math.floor(Date.now() / 1000);
    const reply = textOf(await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen })));
    expect(reply).toMatchObject({ ToUserName: citizen, FromUserName: AccountId, MsgType: 'text' });
    expect(Number(reply['CreateTime'])).toBeGreaterThanOrEqual(before);
    expect(reply['Content']).toContain('补领');
    expect(reply['Content']).toContain('回复数字选择：\n1. 需要什么材料');
  });

  it('maps a digit to the numbered option of the previous reply', async () => {
    const citizen = newCitizen();
    const first = textOf(await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen })));
    // The overview offers "1. 需要什么材料": "1" asks exactly that.
    expect(first['Content']).toContain('1. 需要什么材料');
    const second = textOf(await post(app, wechatXml.text('1', { from: citizen })));
    expect(second['Content']).toContain('材料');
    const last = stack.db.prepare('SELECT text, facet FROM turns WHERE session = ? ORDER BY seq DESC LIMIT 1').get(`wechat:${citizen}`);
    expect(last).toEqual({ text: '需要什么材料', facet: 'materials' });
  });

  it('welcomes a new follower with a short menu', async () => {
    const citizen = newCitizen();
    const reply = textOf(await post(app, wechatXml.event('subscribe', '', { from: citizen })));
    expect(reply['ToUserName']).toBe(citizen);
    expect(reply['Content']).toMatch(/^感谢关注！/);
    expect(reply['Content']).toContain('回复数字选择：\n1. 身份证丢了怎么补办');
    // The menu's digits work straight away.
    const picked = textOf(await post(app, wechatXml.text('1', { from: citizen })));
    expect(picked['Content']).toContain('补领');
  });

  it('says nothing to an unsubscribe', async () => {
    const response = await post(app, wechatXml.event('unsubscribe', '', { from: newCitizen() }));
    expect([response.statusCode, response.body]).toEqual([200, 'success']);
  });

  it('answers a menu CLICK from its ASK: key, and politely for an unknown key', async () => {
    const citizen = newCitizen();
    const asked = textOf(await post(app, wechatXml.event('CLICK', 'ASK:身份证补领', { from: citizen })));
    expect(asked['Content']).toContain('补领');
    expect(turnsOf(stack, citizen)).toBe(1);
    const unknown = textOf(await post(app, wechatXml.event('CLICK', 'NO_SUCH_KEY', { from: citizen, createTime: 1_700_000_001 })));
    expect(unknown['Content']).toContain('暂未开通');
  });

  it('answers a voice message from its recognised text, and asks to type when there is none', async () => {
    const citizen = newCitizen();
    const voice = textOf(await post(app, wechatXml.voice('办护照要带什么。', { from: citizen })));
    expect(voice['Content']).toContain('护照');
    expect(voice['Content']).toContain('材料');
    const silent = textOf(await post(app, wechatXml.voice('', { from: citizen })));
    expect(silent['Content']).toContain('请用文字输入');
  });

  it('answers an image with a polite text and asks the bot nothing', async () => {
    const citizen = newCitizen();
    const reply = textOf(await post(app, wechatXml.image({ from: citizen })));
    expect(reply['Content']).toContain('只能理解文字和语音');
    expect(turnsOf(stack, citizen)).toBe(0);
  });

  it('gives a retry of the same MsgId the identical answer and logs the turn once', async () => {
    const citizen = newCitizen();
    const xml = wechatXml.text('公积金怎么提取', { from: citizen, msgId: '7300000000000099001' });
    // The second try arrives while the first may still be computing; the third after it finished.
    const [first, second] = await Promise.all([post(app, xml), post(app, xml)]);
    const third = await post(app, xml, signedQuery({ nonce: 'retry-3' }));
    expect(textOf(first)['Content']).toContain('公积金');
    expect(textOf(second)['Content']).toBe(textOf(first)['Content']);
    expect(textOf(third)['Content']).toBe(textOf(first)['Content']);
    expect(turnsOf(stack, citizen)).toBe(1);
  });

  it('refuses a forged message with 401 and no answer', async () => {
    const citizen = newCitizen();
    const forged = signedQuery({ token: 'guessed-token' });
    const response = await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen }), forged);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
    expect(response.body).not.toContain('<xml>');
    expect(turnsOf(stack, citizen)).toBe(0);
  });

  it('refuses a correctly signed message replayed an hour later', async () => {
    const citizen = newCitizen();
    const anHourAgo = String(Math.floor(Date.now() / 1000) - 3600);
    const response = await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen }), signedQuery({ timestamp: anHourAgo }));
    expect(response.statusCode).toBe(401);
    expect(turnsOf(stack, citizen)).toBe(0);
  });

  it('checks the signature before reading the body: 401 for forged junk, 400 for signed junk', async () => {
    const forged = await post(app, '<xml><Content>unclosed', signedQuery({ token: 'guessed-token' }));
    expect(forged.statusCode).toBe(401);
    const malformed = await post(app, '<xml><Content>unclosed');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringContaining('XML') });
    const incomplete = await post(app, '<xml><Content><![CDATA[hi]]></Content></xml>');
    expect(incomplete.statusCode).toBe(400);
  });

  it('answers 400 when the query lacks the signature parameters', async () => {
    const response = await app.inject({ method: 'POST', url: '/wechat?timestamp=1&nonce=2', headers: { 'content-type': 'text/xml' }, payload: wechatXml.text('你好') });
    expect(response.statusCode).toBe(400);
  });

  it('refuses an oversized body', async () => {
    const response = await post(app, wechatXml.text('办'.repeat(20_000)));
    expect(response.statusCode).toBe(413);
  });

  it('cuts a long answer below 2048 bytes at a line, with a link to the full guide', async () => {
    const citizen = newCitizen();
    await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen }));
    const reply = textOf(await post(app, wechatXml.text('一次性告知', { from: citizen })));
    const content = reply['Content']!;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(2048);
    const title = '居民身份证遗失补领';
    expect(stack.retriever.entry('demo-id-card-loss')?.kind).toBe('matter');
    const [kept, rest] = content.split('\n…完整内容请查看：');
    expect(rest!.split('\n')[0]).toBe(`${PublicUrl}/?q=${encodeURIComponent(title)}`);
    // The same sheet in full, from the bot in a session of its own: the cut keeps whole lines of it.
    await stack.bot.handleMessage({ session: 'full-sheet', channel: 'test', text: '身份证丢了怎么补办' });
    const full = (await stack.bot.handleMessage({ session: 'full-sheet', channel: 'test', text: '一次性告知' })).text;
    expect(Buffer.byteLength(full, 'utf8')).toBeGreaterThan(2048);
    expect(full.startsWith(kept!)).toBe(true);
    expect(full.split('\n')).toContain(kept!.split('\n').at(-1));
    expect(kept!.length).toBeGreaterThan(300);
  });
});

describe('WeChat callback configurations', () => {
  let stack: Stack;
  let app: FastifyInstance;
  const others: FastifyInstance[] = [];
  const otherApp = async (config: Partial<AppConfig>, bot?: Bot): Promise<FastifyInstance> => {
    const built = await buildApp({ logLevel: 'silent', ...config }, { ...stack, ...(bot ? { bot } : {}) });
    others.push(built);
    return built;
  };
  beforeAll(async () => {
    stack = await testStack();
    app = await buildApp({ logLevel: 'silent', wechat: { token: TestToken, appId: TestAppId, aesKey: TestAesKey } }, stack);
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await app.close();
    await stack.close();
  });

  it('answers 503 saying the channel is not configured when there is no token', async () => {
    const unconfigured = await otherApp({});
    const response = await post(unconfigured, wechatXml.text('你好'));
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: 'UNAVAILABLE', message: expect.stringContaining('WECHAT_TOKEN') });
  });

  it('refuses to start in safe mode without an AppID, or with a malformed AES key', async () => {
    await expect(otherApp({ wechat: { token: TestToken, aesKey: TestAesKey } })).rejects.toThrow(/WECHAT_APPID/);
    await expect(otherApp({ wechat: { token: TestToken, appId: TestAppId, aesKey: 'x'.repeat(42) } })).rejects.toThrow(/WECHAT_AES_KEY/);
  });

  it('is exempt from the per-address rate limit: every citizen comes through WeChat\'s few servers', async () => {
    const limited = await otherApp({ rateLimitPerMinute: 2, wechat: { token: TestToken } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(limited, wechatXml.image())).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // The limit itself is on: other routes from the same address are refused after two.
    const health = [];
    for (let i = 0; i < 3; i++) health.push((await limited.inject({ method: 'GET', url: '/healthz' })).statusCode);
    expect(health).toEqual([200, 200, 429]);
  });

  it('leaves the digits of a clarifying question to the bot, which keeps the options itself', async () => {
    const seen: string[] = [];
    const clarify: Reply = {
      kind: 'clarify', text: '您想问的是下面哪一项？\n1. 居民身份证遗失补领\n2. 居民身份证换领\n请回复序号或名称。',
      entryId: null, facet: null, confidence: 0.5, candidates: [], quickReplies: ['居民身份证遗失补领', '居民身份证换领'],
    };
    const scripted: Bot = { ...stack.bot, turnLog: stack.bot.turnLog, handleMessage: async (incoming) => { seen.push(incoming.text); return clarify; } };
    const clarifying = await otherApp({ wechat: { token: TestToken } }, scripted);
    const citizen = newCitizen();
    const asked = textOf(await post(clarifying, wechatXml.text('身份证', { from: citizen })));
    // Shown as the bot numbered it, without a second list.
    expect(asked['Content']).toBe(clarify.text);
    await post(clarifying, wechatXml.text('2', { from: citizen }));
    expect(seen).toEqual(['身份证', '2']);
  });

  it('safe mode: decrypts the question and encrypts the answer, signed', async () => {
    const citizen = newCitizen();
    const request = encryptedRequest(wechatXml.text('身份证丢了怎么补办', { from: citizen }));
    const response = await app.inject({ method: 'POST', url: request.url, headers: { 'content-type': 'text/xml' }, payload: request.body });
    const envelope = textOf(response);
    expect(Object.keys(envelope).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
    expect(envelope['MsgSignature']).toBe(signatureOf([TestToken, envelope['TimeStamp']!, envelope['Nonce']!, envelope['Encrypt']!]));
    const inner = wechatDecrypt(envelope['Encrypt']!);
    expect(inner.appId).toBe(TestAppId);
    const reply = parseWechatXml(inner.xml);
    expect(reply).toMatchObject({ ToUserName: citizen, FromUserName: AccountId, MsgType: 'text' });
    expect(reply['Content']).toContain('补领');
  });

  it('safe mode: refuses a wrong msg_signature with 401, and a message for another AppID', async () => {
    const citizen = newCitizen();
    const forged = encryptedRequest(wechatXml.text('身份证丢了怎么补办', { from: citizen }), { msgSignature: 'f'.repeat(40) });
    const refused = await app.inject({ method: 'POST', url: forged.url, headers: { 'content-type': 'text/xml' }, payload: forged.body });
    expect(refused.statusCode).toBe(401);
    const foreign = wechatEncrypt(wechatXml.text('你好', { from: citizen }), TestAesKey, 'wxanotheraccount');
    const timestamp = '1700000000';
    const nonce = '24680';
    const query = signedQuery({ timestamp, nonce, extra: { encrypt_type: 'aes', msg_signature: signatureOf([TestToken, timestamp, nonce, foreign]) } });
    const other = await post(app, `<xml><ToUserName><![CDATA[${AccountId}]]></ToUserName><Encrypt><![CDATA[${foreign}]]></Encrypt></xml>`, query);
    expect(other.statusCode).toBe(401);
    expect(turnsOf(stack, citizen)).toBe(0);
  });

  it('safe mode: treats compatible mode (plain fields and Encrypt together) as safe mode', async () => {
    const citizen = newCitizen();
    const inner = wechatXml.text('身份证丢了怎么补办', { from: citizen });
    const request = encryptedRequest(inner);
    const compatible = request.body.replace('</xml>', `<FromUserName><![CDATA[${citizen}]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[身份证丢了怎么补办]]></Content></xml>`);
    const envelope = textOf(await app.inject({ method: 'POST', url: request.url, headers: { 'content-type': 'text/xml' }, payload: compatible }));
    expect(parseWechatXml(wechatDecrypt(envelope['Encrypt']!).xml)['Content']).toContain('补领');
  });
});

describe('WeChat slow turns', () => {
  let stack: Stack;
  let api: FakeWechatApi;
  const apps: FastifyInstance[] = [];
  /** The real bot, 300 ms slower than the reply budget allows. */
  const slow = (bot: Bot): Bot => ({
    ...bot,
    turnLog: bot.turnLog,
    handleMessage: async (incoming) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return bot.handleMessage(incoming);
    },
  });
  const slowApp = async (wechat: WechatOptions): Promise<FastifyInstance> => {
    const app = await buildApp({ logLevel: 'silent', wechat }, { ...stack, bot: slow(stack.bot) });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    stack = await testStack();
    api = await startFakeWechatApi();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await stack.close();
    await api.close();
  });

  it('answers "success" in time, then sends the answer through the customer-service API', async () => {
    const app = await slowApp({ token: TestToken, appId: TestAppId, secret: 'app-secret', apiBaseUrl: api.baseUrl, replyBudgetMs: 50 });
    const citizen = newCitizen();
    const response = await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen }));
    // "success" rather than the answer: the callback did not wait for the slow turn.
    expect([response.statusCode, response.body]).toEqual([200, 'success']);
    const [sent] = await api.waitForSent(1);
    expect(sent!.body.touser).toBe(citizen);
    expect(sent!.body.msgtype).toBe('text');
    expect(sent!.body.text.content).toContain('补领');
    expect(api.tokenCalls).toEqual([{ appid: TestAppId, secret: 'app-secret' }]);

    // A second slow answer reuses the cached token; after WeChat calls it invalid (40001) a new one is fetched once.
    await post(app, wechatXml.text('公积金怎么提取', { from: citizen }));
    await api.waitForSent(2);
    expect(api.tokenCalls).toHaveLength(1);
    api.revoked.add('token-1');
    await post(app, wechatXml.text('办护照要带什么', { from: citizen }));
    const all = await api.waitForSent(3);
    expect(api.tokenCalls).toHaveLength(2);
    expect(all.map((s) => s.accessToken)).toEqual(['token-1', 'token-1', 'token-2']);
    expect(all[2]!.body.text.content).toContain('护照');
  });

  it('sends a slow answer once however many times WeChat retries', async () => {
    const app = await slowApp({ token: TestToken, appId: TestAppId, secret: 'app-secret', apiBaseUrl: api.baseUrl, replyBudgetMs: 50 });
    const citizen = newCitizen();
    const before = api.sent.length;
    const xml = wechatXml.text('异地就医备案怎么办', { from: citizen });
    const tries = await Promise.all([post(app, xml), post(app, xml)]);
    await api.waitForSent(before + 1);
    // A late retry, after the answer went out, must not produce a second message either.
    const late = await post(app, xml);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect([...tries, late].map((r) => r.body)).toEqual(['success', 'success', 'success']);
    expect(api.sent.slice(before).filter((s) => s.body.touser === citizen)).toHaveLength(1);
    expect(turnsOf(stack, citizen)).toBe(1);
  });

  it('still answers "success" without a secret, and sends nothing', async () => {
    const app = await slowApp({ token: TestToken, appId: TestAppId, replyBudgetMs: 50 });
    const citizen = newCitizen();
    const before = api.sent.length;
    const response = await post(app, wechatXml.text('身份证丢了怎么补办', { from: citizen }));
    expect(response.body).toBe('success');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(turnsOf(stack, citizen)).toBe(1);
    expect(api.sent.length).toBe(before);
  });
});
