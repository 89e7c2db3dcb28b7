import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/banshi.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'banshi-workers-'));

interface LogLine { pid: number; msg: string; kind?: string; entryId?: string; facet?: string }

/** `banshi serve` with WORKERS=2, its pino lines collected as they come. */
function startServer(): { child: ChildProcess; lines: LogLine[]; waitFor: (test: (line: LogLine) => boolean) => Promise<LogLine> } {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, WORKERS: '2', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: LogLine[] = [];
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const part of parts) {
      const line = JSON.parse(part) as LogLine;
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const waitFor = (test: (line: LogLine) => boolean): Promise<LogLine> => {
    const seen = lines.find(test);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
  };
  return { child, lines, waitFor };
}

/** One turn on a fresh connection, so the cluster may hand it to either worker. */
async function ask(port: number, text: string, session?: string): Promise<{ session: string; reply: { kind: string; entryId?: string } }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/chat`, {
    method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(session ? { session, text } : { text }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { session: string; reply: { kind: string; entryId?: string } };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('banshi serve with WORKERS=2', () => {
  it('answers one conversation from both workers, replaces a worker that dies, and stops them all on SIGTERM', async () => {
    const server = startServer();
    try {
      const ready = await server.waitFor((l) => /worker processes ready on port \d+/.test(l.msg));
      const port = Number(/port (\d+)/.exec(ready.msg)![1]);

      const first = await ask(port, '身份证丢了怎么补办');
      const follow = ['要带什么材料', '多少钱', '几天能拿到', '在哪里办'];
      for (const text of follow) {
        const { reply } = await ask(port, text, first.session);
        // The follow-up is answered for the matter under discussion, whichever worker took it.
        expect(reply.entryId).toBe(first.reply.entryId);
      }
      // A turn's log line may reach us just after its answer.
      let seen = 0;
      await server.waitFor((l) => l.msg === 'turn' && ++seen === 1 + follow.length);
      const turns = server.lines.filter((l) => l.msg === 'turn');
      expect(turns.map((t) => t.facet)).toEqual(['overview', 'materials', 'fees', 'time_limit', 'location']);
      expect(new Set(turns.map((t) => t.pid)).size).toBe(2);

      const victim = turns[0]!.pid;
      process.kill(victim, 'SIGKILL');
      await server.waitFor((l) => l.msg.includes(`worker ${victim} exited`));
      await server.waitFor((l) => l.msg === 'Banshi is ready' && l.pid !== victim && !turns.some((t) => t.pid === l.pid));
      expect((await ask(port, '护照怎么办')).reply.kind).not.toBe('fallback');

      const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(server.lines.filter((l) => l.msg === 'shutting down')).toHaveLength(2);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 180_000);
});
