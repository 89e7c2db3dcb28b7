// A channel built on the adapter base class: its turns go through the bot's one
// door under its own name, and each reply comes out in its medium.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stack } from '../cli/stack.ts';
import { testStack } from '../test/harness.ts';
import { ChannelAdapter, type Incoming, type Reply } from './index.ts';

let stack: Stack;
beforeAll(async () => { stack = await testStack(); });
afterAll(async () => { await stack.close(); });

/** A medium that shows only text, numbering the quick replies, and counts the turns it passed on. */
class PagerChannel extends ChannelAdapter<string, string[]> {
  readonly channel = 'pager';

  constructor(bot: Stack['bot']) {
    super(async (incoming: Incoming, seen: string[]) => {
      seen.push(incoming.channel);
      return bot.handleMessage(incoming);
    }, () => bot.welcome());
  }

  protected render(reply: Reply): string {
    return [reply.text, ...reply.quickReplies.map((q, i) => `${i + 1}. ${q}`)].join('\n');
  }
}

it('stamps its channel on every turn and renders the reply for its medium', async () => {
  const pager = new PagerChannel(stack.bot);
  const seen: string[] = [];
  const shown = await pager.answer({ session: 'pager-1', text: '身份证丢了要带什么材料' }, seen);
  expect(seen).toEqual(['pager']);
  expect(shown).toContain('居民身份证');
  expect(pager.welcome('pager-1')).toMatch(/\n1\. /);
  expect(stack.store.db.prepare("SELECT channel FROM turns WHERE session = 'pager-1'").pluck().all()).toEqual(['pager']);
});
