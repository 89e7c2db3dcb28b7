// The channel benchmark's harness against a real server on loopback: every
// transport completes closed-loop turns without errors and reports the shape
// `bench --json` writes. No assertions on speed: this tests the harness, not
// the machine.
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/harness.ts';
import type { Stack } from '../stack.ts';
import { Transports, measureBotTurns, parseRate, parseSeconds, parseSessions, parseWorkers, runChannelStep } from './bench-channels.ts';

let app: FastifyInstance;
let stack: Stack;
let baseUrl: string;

beforeAll(async () => {
  ({ app, stack } = await testApp({ rateLimitPerMinute: 0 }));
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
});

describe('channel benchmark harness', () => {
  for (const transport of Transports) {
    it(`runs closed-loop ${transport} sessions for a bounded time`, async () => {
      const step = await runChannelStep({ baseUrl, transport, sessions: 2, seconds: 1, warmupSeconds: 0.2 });
      expect(step).toEqual({
        transport, sessions: 2, turns: expect.any(Number), turnsPerSecond: expect.any(Number),
        latencyMs: { p50: expect.any(Number), p99: expect.any(Number) }, errors: 0, clientCpuPercent: expect.any(Number),
      });
      expect(step.turns).toBeGreaterThan(0);
      expect(step.turnsPerSecond).toBe(step.turns);
      expect(step.latencyMs.p50).toBeGreaterThan(0);
      expect(step.latencyMs.p99).toBeGreaterThanOrEqual(step.latencyMs.p50);
    });
  }

  it('paces an open loop: the sessions together ask at the offered rate, not as fast as they are answered', async () => {
    const step = await runChannelStep({ baseUrl, transport: 'ws', sessions: 4, seconds: 1.5, warmupSeconds: 0.3, rate: 20 });
    expect(step.offeredRate).toBe(20);
    expect(step.errors).toBe(0);
    // 20 a second for 1.5 s: about 30 turns, where a closed loop on this server answers hundreds.
    expect(step.turns).toBeGreaterThanOrEqual(25);
    expect(step.turns).toBeLessThanOrEqual(31);
  });

  it('counts a server that is not there as errors, and stops', async () => {
    // A port nobody listens on: every session gives up after a few refused turns.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((done) => probe.close(() => done()));
    const step = await runChannelStep({ baseUrl: deadUrl, transport: 'http', sessions: 2, seconds: 1, warmupSeconds: 0 });
    expect(step.turns).toBe(0);
    expect(step.errors).toBeGreaterThan(0);
  });

  it('times the bot in-process on the same question stream', async () => {
    const stats = await measureBotTurns(stack.bot, { seconds: 0.3, warmupSeconds: 0, sessions: 3 });
    expect(stats.turns).toBeGreaterThan(0);
    expect(stats.ms.p99).toBeGreaterThanOrEqual(stats.ms.p50);
  });

  it('reads --seconds', () => {
    expect(parseSeconds(undefined)).toBe(10);
    expect(parseSeconds('2.5')).toBe(2.5);
    expect(() => parseSeconds('0')).toThrow(/--seconds/);
    expect(() => parseSeconds('ten')).toThrow(/--seconds/);
  });

  it('reads --rate, --sessions and --workers', () => {
    expect(parseRate(undefined)).toBeUndefined();
    expect(parseRate('1000')).toBe(1000);
    expect(() => parseRate('-5')).toThrow(/--rate/);
    expect(parseSessions(undefined)).toEqual([1, 50, 200]);
    expect(parseSessions('200, 400')).toEqual([200, 400]);
    expect(() => parseSessions('50,x')).toThrow(/--sessions/);
    expect(parseWorkers(undefined)).toBe(1);
    expect(parseWorkers('2')).toBe(2);
    expect(() => parseWorkers('1.5')).toThrow(/--workers/);
  });
});
