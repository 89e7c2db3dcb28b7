// `banshi chat`: a terminal conversation with the bot, for staff and developers.
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import type { Reply } from '../../bot/index.ts';
import { parse } from '../args.ts';
import { loadConfig } from '../config.ts';
import { openStack, stackOptionsFor } from '../stack.ts';

function show(reply: Reply, verbose: boolean): string {
  const lines = [reply.text];
  if (reply.quickReplies.length > 0) lines.push(`  [${reply.quickReplies.join('] [')}]`);
  if (verbose) {
    lines.push(`  (${reply.kind}${reply.entryId ? ` ${reply.entryId}` : ''}${reply.facet ? ` ${reply.facet}` : ''}, confidence ${reply.confidence.toFixed(2)})`);
    for (const c of reply.candidates.slice(0, 3)) lines.push(`    ${c.score.toFixed(3)}  ${c.entryId}  ${c.title}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function chat(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } });
  const config = loadConfig();
  const stack = await openStack(stackOptionsFor(config, values.db ? resolve(values.db) : undefined));
  const session = `cli-${process.pid}-${Date.now()}`;
  const verbose = values.verbose ?? false;
  process.stdout.write(`（${stack.retriever.size()} entries loaded; type your question, Ctrl-D to quit）\n`);
  process.stdout.write(show(stack.bot.welcome(), false));
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    if (line.trim()) process.stdout.write(show(await stack.bot.handleMessage({ session, channel: 'cli', text: line }), verbose));
    rl.prompt();
  }
  await stack.close();
  return 0;
}
