// The chat API's WebSocket over a real socket: the per-client message limit.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testApp } from '../../test/harness.ts';
import { MessageRate } from './chat.ts';

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  ({ app } = await testApp({ rateLimitPerMinute: 2 }));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
});

/** Opens /ws, sends each text once the previous frame came back, and returns every frame after the welcome. */
async function exchange(texts: string[]): Promise<{ type: string; error?: string }[]> {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`);
  const frames: { type: string; error?: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; error?: string };
      if (frame.type !== 'welcome') frames.push(frame);
      const next = texts[frames.length];
      if (next === undefined) resolve();
      else socket.send(JSON.stringify({ type: 'message', text: next }));
    });
  });
  socket.close();
  return frames;
}

describe('/ws', () => {
  it('limits the messages a client sends a minute, however many sockets it opens', async () => {
    expect((await exchange(['你好', '身份证丢了怎么办'])).map((f) => f.type)).toEqual(['reply', 'reply']);
    const refused = await exchange(['护照怎么办']);
    expect(refused).toEqual([expect.objectContaining({ type: 'error', error: 'RATE_LIMITED' })]);
  });
});

describe('MessageRate', () => {
  it('counts per client and starts over after a minute', () => {
    const rate = new MessageRate(2);
    expect([rate.take('a', 0), rate.take('a', 1), rate.take('a', 2), rate.take('b', 3)]).toEqual([true, true, false, true]);
    expect(rate.take('a', 60_001)).toBe(true);
  });
});
