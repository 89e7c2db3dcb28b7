// What every channel plugin is given: the bot's one door, wrapped so that each
// turn is logged with its channel and session and tracked until it finishes
// (graceful shutdown waits for in-flight turns).
import type { FastifyBaseLogger } from 'fastify';
import { ChannelAdapter, type Bot, type Incoming, type Reply } from '../bot/index.ts';
import type { KnowledgeStore } from '../knowledge/index.ts';
import type { Retriever } from '../retrieval/index.ts';
import { Sessions } from './sessions.ts';

export interface ChannelDeps {
  bot: Bot;
  store: KnowledgeStore;
  retriever: Retriever;
}

export interface ChannelContext extends ChannelDeps {
  sessions: Sessions;
  turn(incoming: Incoming, log: FastifyBaseLogger): Promise<Reply>;
  /** Resolves when every turn under way has finished. */
  drain(): Promise<void>;
}

export function createChannelContext(deps: ChannelDeps): ChannelContext {
  const inFlight = new Set<Promise<Reply>>();
  return {
    ...deps,
    sessions: new Sessions(deps.store.db),
    async turn(incoming, log) {
      const started = performance.now();
      const pending = deps.bot.handleMessage(incoming);
      inFlight.add(pending);
      try {
        const reply = await pending;
        // Fields on the one line rather than a child logger: a child of the request's fresh logger
        // costs ~10 µs (pino builds it on a new prototype), and nothing else is logged through it.
        log.info({ channel: incoming.channel, session: incoming.session, kind: reply.kind, entryId: reply.entryId, facet: reply.facet,
          confidence: reply.confidence, ms: Math.round((performance.now() - started) * 10) / 10 }, 'turn');
        return reply;
      } finally {
        inFlight.delete(pending);
      }
    },
    async drain() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** The portal widget and the kiosk: their pages draw the Reply itself, sent as JSON. */
export class JsonChannel extends ChannelAdapter<Reply, FastifyBaseLogger> {
  constructor(readonly channel: 'web' | 'kiosk', ctx: ChannelContext) {
    super(ctx.turn, () => ctx.bot.welcome());
  }

  protected render(reply: Reply): Reply {
    return reply;
  }
}
