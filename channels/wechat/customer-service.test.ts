import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomerService } from './customer-service.ts';
import { WechatApiError } from './errors.ts';
import { OpenId, TestAppId, startFakeWechatApi, type FakeWechatApi } from './testing.ts';

describe('customer-service API client', () => {
  let api: FakeWechatApi;
  beforeEach(async () => { api = await startFakeWechatApi(); });
  afterEach(async () => { await api.close(); });

  it('sends a text message with a token fetched once and reused', async () => {
    const client = createCustomerService({ appId: TestAppId, secret: 's3cret', baseUrl: api.baseUrl, timeoutMs: 2000 });
    await client.sendText(OpenId, '第一条');
    await client.sendText(OpenId, '第二条');
    expect(api.tokenCalls).toEqual([{ appid: TestAppId, secret: 's3cret' }]);
    expect(api.sent.map((s) => [s.accessToken, s.body])).toEqual([
      ['token-1', { touser: OpenId, msgtype: 'text', text: { content: '第一条' } }],
      ['token-1', { touser: OpenId, msgtype: 'text', text: { content: '第二条' } }],
    ]);
  });

  it('shares one token fetch between concurrent sends', async () => {
    const client = createCustomerService({ appId: TestAppId, secret: 's', baseUrl: api.baseUrl, timeoutMs: 2000 });
    await Promise.all([client.sendText(OpenId, 'a'), client.sendText(OpenId, 'b'), client.sendText(OpenId, 'c')]);
    expect(api.tokenCalls).toHaveLength(1);
    expect(api.sent).toHaveLength(3);
  });

  it('fetches a new token once when WeChat answers 40001, and sends again', async () => {
    const client = createCustomerService({ appId: TestAppId, secret: 's', baseUrl: api.baseUrl, timeoutMs: 2000 });
    await client.sendText(OpenId, 'a');
    api.revoked.add('token-1');
    await client.sendText(OpenId, 'b');
    expect(api.tokenCalls).toHaveLength(2);
    expect(api.sent.map((s) => s.accessToken)).toEqual(['token-1', 'token-2']);
  });

  it('gives up after one refresh and reports the errcode', async () => {
    const client = createCustomerService({ appId: TestAppId, secret: 's', baseUrl: api.baseUrl, timeoutMs: 2000 });
    await client.sendText(OpenId, 'a');
    api.revoked.add('token-1');
    api.revoked.add('token-2');
    const failure = await client.sendText(OpenId, 'b').then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(WechatApiError);
    expect(failure).toMatchObject({ code: 'WECHAT_API', errcode: 40001 });
    expect(api.tokenCalls).toHaveLength(2);
    // The refused token is forgotten: the next send starts with a fresh one.
    await client.sendText(OpenId, 'c');
    expect(api.sent.map((s) => s.accessToken)).toEqual(['token-1', 'token-3']);
  });

  it('treats an HTTP error status as a transport failure, not an API answer', async () => {
    const client = createCustomerService({ appId: TestAppId, secret: 's', baseUrl: `${api.baseUrl}/missing`, timeoutMs: 2000 });
    await expect(client.sendText(OpenId, 'a')).rejects.toThrow(expect.objectContaining({ code: 'WECHAT_NETWORK' }));
  });

  it('refreshes before expires_in runs out', async () => {
    let now = 1_000_000;
    const client = createCustomerService({
      appId: TestAppId, secret: 's', baseUrl: api.baseUrl, timeoutMs: 2000, refreshMarginMs: 300_000, now: () => now,
    });
    await client.sendText(OpenId, 'a');
    now += 7200_000 - 300_001; // just before the margin: still the cached token
    await client.sendText(OpenId, 'b');
    now += 2; // inside the margin: refreshed ahead of expiry
    await client.sendText(OpenId, 'c');
    expect(api.sent.map((s) => s.accessToken)).toEqual(['token-1', 'token-1', 'token-2']);
  });

  it('tells a network failure from an API error', async () => {
    const client = createCustomerService({ appId: TestAppId, secret: 's', baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
    await expect(client.sendText(OpenId, 'a')).rejects.toThrow(expect.objectContaining({ code: 'WECHAT_NETWORK' }));
  });
});
