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
  /**
   * Group commit: a turn's state and log are written up to this many ms after its reply,
   * together with the other turns of that window, in one commit. A commit costs more than
   * its rows, and server processes queue for SQLite's one write lock, so committing every
   * turn on its own lengthens the tail under load. A crash loses at most this window;
   * the session's next turn and `flush()` write it first. 0 (the default): each turn is
   * committed before its reply.
   */
  commitWindowMs?: number;
}

export interface Bot {
  handleMessage(incoming: Incoming): Promise<Reply>;
  /** The greeting a channel shows when a conversation opens. */
  welcome(traditional?: boolean): Reply;
  /** Forgets a conversation (the kiosk's idle reset). */
  reset(session: string, channel: string): Promise<void>;
  /** Commits the turns of the current group-commit window now (on close, before reading the log). */
  flush(): void;
  readonly turnLog: TurnLog;
}

interface Uncommitted {
  saveState: () => void;
  incoming: Incoming;
  effects: TurnEffects;
  record: TurnRecord;
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
  // One commit for the states and records of every turn waiting (one, without a commit window) rather than one
  // each: a commit costs more than its rows. Built once, as better-sqlite3 wraps a transaction function anew on
  // every db.transaction().
  const commitTurns = deps.db.transaction((turns: Uncommitted[]) => {
    for (const turn of turns) {
      turn.saveState();
      record(turn.incoming, turn.effects);
      turnLog.turn(turn.record);
    }
  });
  const windowMs = deps.commitWindowMs ?? 0;
  let waiting: Uncommitted[] = [];
  const waitingSessions = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const sessionKey = (channel: string, session: string): string => `${channel}\n${session}`;
  // IMMEDIATE: it may read before it writes (an eTag check, a handoff's transcript); see SqliteStorage.
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const turns = waiting;
    waiting = [];
    waitingSessions.clear();
    commitTurns.immediate(turns);
  };
  const flushOnTimer = (): void => {
    try {
      flush();
    } catch (error) {
      // No turn is waiting for this commit to answer; the process's warning goes to its log.
      process.emitWarning(`the turn log commit failed: ${(error as Error).message}`);
    }
  };

  return {
    turnLog,
    welcome: (traditional = false) => inScript(dialogue.welcome(), traditional ? traditionalOf : null),
    // A waiting write would bring the forgotten state back.
    reset: async (session, channel) => { flush(); await runtime.reset(session, channel); },
    flush,
    async handleMessage(incoming) {
      const started = performance.now();
      // The session's previous turn is stored before its state is read again.
      if (waitingSessions.has(sessionKey(incoming.channel, incoming.session))) flush();
      const text = incoming.text.trim();
      const convert = detectScript(text) === 'traditional' ? traditionalOf : null;
      const turn = await runtime.processTurn({
        session: incoming.session, channel: incoming.channel, user: incoming.user ?? incoming.session, text,
      });
      const { reply, effects } = turn.result;
      const shown = inScript(reply, convert);
      waiting.push({
        saveState: turn.saveState, incoming, effects, record: {
          channel: incoming.channel, session: incoming.session, text, normalized: plain(text), reply: shown,
          latencyMs: performance.now() - started, ...(effects.clarifiedFrom ? { clarifiedFrom: effects.clarifiedFrom } : {}),
        },
      });
      if (windowMs <= 0) flush();
      else {
        waitingSessions.add(sessionKey(incoming.channel, incoming.session));
        timer ??= setTimeout(flushOnTimer, windowMs);
      }
      return shown;
    },
  };
}
