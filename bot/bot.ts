// The bot: the one door every channel and the eval suite use. Botkit runs the
// turn; the dialogue decides the reply; the turn log keeps a masked record.
import type { Db } from '../knowledge/index.ts';
import { detectScript, foldTerm, toTraditional, type Retriever } from '../retrieval/index.ts';
import { Dialogue, initialState, type DialogueState, type TurnEffects } from './dialogue.ts';
import type { Incoming, Reply } from './reply.ts';
import { createBotkitRuntime } from './runtime/botkit-runtime.ts';
import { TurnLog, type TurnRecord } from './turn-log.ts';

export interface BotDeps {
  db: Db;
  retriever: Retriever;
}

export interface Bot {
  handleMessage(incoming: Incoming): Promise<Reply>;
  /** The greeting a channel shows when a conversation opens. */
  welcome(traditional?: boolean): Reply;
  /** Forgets a conversation (the kiosk's idle reset). */
  reset(session: string, channel: string): Promise<void>;
  readonly turnLog: TurnLog;
}

/** Simplified, lower-case, punctuation folded: what the conversation-control tables match against. */
function plainText(text: string): string {
  return foldTerm(text).replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** plainText of the text a turn is about: asked for up to three times per turn (interrupt test, dialogue, log). */
function lastPlainText(): (text: string) => string {
  let last = { text: '', plain: '' };
  return (text) => {
    if (text !== last.text) last = { text, plain: plainText(text) };
    return last.plain;
  };
}

/**
 * toTraditional remembering its latest conversions: replies repeat (a guide's parts, the same questions and
 * fallbacks), and OpenCC takes 0.2–0.3 ms for a reply's strings. Oldest first out past `limit` strings.
 */
function rememberedTraditional(limit: number): (text: string) => string {
  const known = new Map<string, string>();
  return (text) => {
    let converted = known.get(text);
    if (converted === undefined) {
      converted = toTraditional(text);
      if (known.size >= limit) known.delete(known.keys().next().value!);
      known.set(text, converted);
    }
    return converted;
  };
}

/** Replies follow the user's script: every string in the reply is converted (`convert` null: kept as it is). */
function inScript<T>(value: T, convert: ((text: string) => string) | null): T {
  if (!convert) return value;
  if (typeof value === 'string') return convert(value) as T;
  if (Array.isArray(value)) return value.map((v) => inScript(v, convert)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
      [k, k === 'entryId' || k === 'url' || k === 'facet' || k === 'type' ? v : inScript(v, convert)])) as T;
  }
  return value;
}

export function createBot(deps: BotDeps): Bot {
  // Builds OpenCC's Simplified→Traditional tables now: on first use they cost ~0.3 s of a citizen's turn.
  toTraditional('');
  const traditionalOf = rememberedTraditional(1000);
  const turnLog = new TurnLog(deps.db);
  const dialogue = new Dialogue({ retriever: deps.retriever });
  const plain = lastPlainText();
  const runtime = createBotkitRuntime<DialogueState, { reply: Reply; effects: TurnEffects }>(deps.db, {
    initialState,
    isInterrupt: (text) => dialogue.isInterrupt(plain(text)),
    interrupt: async (io) => { io.reply(dialogue.interrupt(io.state, { text: io.text, plain: plain(io.text) })); },
    message: async (io) => { io.reply(await dialogue.respond(io.state, { text: io.text, plain: plain(io.text) })); },
  });

  const record = (incoming: Incoming, effects: TurnEffects): void => {
    if (effects.handoff) {
      const lines = turnLog.transcript(incoming.session)
        .map((t) => `市民：${t.text}（${t.kind}${t.entryId ? ` ${t.entryId}` : ''}）`);
      turnLog.handoff(incoming.channel, incoming.session, [...lines, `市民：${incoming.text}`].join('\n'));
    }
    if (effects.rating) turnLog.rating(incoming.channel, incoming.session, effects.rating.rating, effects.rating.entryId);
    if (effects.ratingReason) turnLog.ratingReason(incoming.session, effects.ratingReason);
  };
  // One commit for the conversation's state and the turn's records instead of one each: a commit costs more
  // than the rows. Built once, as better-sqlite3 wraps a transaction function anew on every db.transaction().
  const commitTurn = deps.db.transaction((saveState: () => void, incoming: Incoming, effects: TurnEffects, turn: TurnRecord) => {
    saveState();
    record(incoming, effects);
    turnLog.turn(turn);
  });

  return {
    turnLog,
    welcome: (traditional = false) => inScript(dialogue.welcome(), traditional ? traditionalOf : null),
    reset: (session, channel) => runtime.reset(session, channel),
    async handleMessage(incoming) {
      const started = performance.now();
      const text = incoming.text.trim();
      const convert = detectScript(text) === 'traditional' ? traditionalOf : null;
      const turn = await runtime.processTurn({
        session: incoming.session, channel: incoming.channel, user: incoming.user ?? incoming.session, text,
      });
      const { reply, effects } = turn.result;
      const shown = inScript(reply, convert);
      // IMMEDIATE: it may read before it writes (an eTag check, a handoff's transcript); see SqliteStorage.
      commitTurn.immediate(turn.saveState, incoming, effects, {
        channel: incoming.channel, session: incoming.session, text, normalized: plain(text), reply: shown,
        latencyMs: performance.now() - started, ...(effects.clarifiedFrom ? { clarifiedFrom: effects.clarifiedFrom } : {}),
      });
      return shown;
    },
  };
}
