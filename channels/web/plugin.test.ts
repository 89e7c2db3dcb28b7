// The web channel's HTTP surface through app.inject(): the widget script, the
// demo portal and the CORS headers that let other sites embed the widget.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/harness.ts';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});

afterAll(async () => {
  await app?.close();
});

describe('web channel', () => {
  it('serves /widget.js as JavaScript with cache validators', async () => {
    const res = await app.inject({ url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('attachShadow');

    const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves the demo portal at / with the one script tag', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('示例市政务服务网');
    expect(res.body).toMatch(/<script src="\/widget\.js"[^>]*><\/script>\s*<\/body>/);
  });

  it('answers the CORS preflight and marks /api/chat answers readable by any origin', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS', url: '/api/chat',
      headers: { origin: 'https://portal.example.gov.cn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const chat = await app.inject({ method: 'POST', url: '/api/chat', headers: { origin: 'https://portal.example.gov.cn' }, payload: { text: '你好' } });
    expect(chat.statusCode).toBe(200);
    expect(chat.headers['access-control-allow-origin']).toBe('*');

    // Errors too, so the widget can read why a call failed.
    const bad = await app.inject({ method: 'POST', url: '/api/chat', headers: { origin: 'https://portal.example.gov.cn' }, payload: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['access-control-allow-origin']).toBe('*');

    // Only the chat API is opened up.
    const health = await app.inject({ url: '/healthz', headers: { origin: 'https://portal.example.gov.cn' } });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('gives the welcome over plain HTTP for widgets without a WebSocket', async () => {
    const res = await app.inject({ url: '/api/chat/welcome' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json<{ reply: { kind: string; text: string; quickReplies: string[] } }>();
    expect(body.reply.kind).toBe('smalltalk');
    expect(body.reply.text).toContain('您好');
    expect(body.reply.quickReplies.length).toBeGreaterThan(0);
  });
});
