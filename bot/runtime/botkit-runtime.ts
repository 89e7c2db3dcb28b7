// The one room where Botkit lives. Botkit runs each turn (ingest middleware →
// interrupts → active dialog → message handlers) and persists conversation state;
// our adapter feeds it activities in-process and collects what it sends back.
import { randomUUID } from 'node:crypto';
import { Botkit, type BotkitMessage } from 'botkit';
import {
  ActivityTypes, BotAdapter, TurnContext,
  type Activity, type ConversationReference, type ResourceResponse,
} from 'botbuilder-core';
import type { Db } from '../../knowledge/index.ts';
import { SqliteStorage } from './sqlite-storage.ts';

const SENT = Symbol('sent');
const REPLY = Symbol('reply');
const STATE = Symbol('state');
// The turn-state key under which botbuilder-dialogs keeps a DialogStateManager's memory scopes and path resolvers.
const DIALOG_STATE_CONFIGURATION = 'DialogStateManagerConfiguration';

/** Botbuilder adapter without a transport: channels call processTurn and get the activities back. */
class InProcessAdapter extends BotAdapter {
  // Botbuilder rebuilds the memory scopes (a service collection and a zod parse) for every turn's
  // DialogContext unless the turn state has them; they keep no turn data, so one set serves every turn.
  private dialogStateConfiguration: unknown;

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const sink = context.turnState.get(SENT) as Partial<Activity>[];
    sink.push(...activities);
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('updating a sent message is not supported');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('deleting a sent message is not supported');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.processTurn(activity, logic);
  }

  async processTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const context = new TurnContext(this, activity);
    const sent: Partial<Activity>[] = [];
    context.turnState.set(SENT, sent);
    if (this.dialogStateConfiguration) context.turnState.set(DIALOG_STATE_CONFIGURATION, this.dialogStateConfiguration);
    await this.runMiddleware(context, logic);
    this.dialogStateConfiguration ??= context.turnState.get(DIALOG_STATE_CONFIGURATION);
    return sent;
  }
}

/** What the dialogue sees of a turn: the text and a per-conversation state slot. */
export interface TurnIO<S, R> {
  text: string;
  channel: string;
  session: string;
  user: string;
  /** The conversation's state; changes are saved when the turn ends. */
  state: S;
  reply(payload: R): void;
}

/** The dialogue's state as this turn loaded it, and its JSON then, to tell whether the turn changed it. */
interface LoadedState<S> {
  key: string;
  state: S;
  json: string;
}

export interface RuntimeHandlers<S, R> {
  initialState(): S;
  /** Whether a message interrupts whatever is going on ("转人工", "重新开始"). */
  isInterrupt(text: string): boolean;
  interrupt(io: TurnIO<S, R>): Promise<void>;
  /** The ordinary turn: active dialog → answer → fallback. */
  message(io: TurnIO<S, R>): Promise<void>;
}

/** A turn's outcome: the dialogue's result, and the state write its caller commits. */
export interface Turn<R> {
  result: R;
  /** Writes the conversation's state if the turn changed it: synchronous, so it can share the caller's transaction. */
  saveState(): void;
}

export interface BotkitRuntime<R> {
  processTurn(incoming: { session: string; channel: string; user: string; text: string }): Promise<Turn<R>>;
  /** Forgets a conversation's state (e.g. the kiosk's idle reset). */
  reset(session: string, channel: string): Promise<void>;
}

export function createBotkitRuntime<S extends object, R>(db: Db, handlers: RuntimeHandlers<S, R>): BotkitRuntime<R> {
  const adapter = new InProcessAdapter();
  const storage = new SqliteStorage(db);
  const controller = new Botkit({ adapter, storage, disable_webserver: true, disable_console: true });
  // Our own key beside Botkit's, so its state (the dialog stack) and ours never overwrite each other. Read and
  // written here rather than through botbuilder's ConversationState, whose change test hashes the state with
  // SHA-256 on every load and save: comparing the JSON is enough.
  const stateKey = (channel: string, session: string) => `${channel}/conversations/${session}/banshi`;
  const loadState = async (context: TurnContext): Promise<LoadedState<S>> => {
    let loaded = context.turnState.get(STATE) as LoadedState<S> | undefined;
    if (!loaded) {
      const key = stateKey(context.activity.channelId, context.activity.conversation.id);
      const stored = (await storage.read([key]))[key] as { dialogue?: S } | undefined;
      loaded = stored?.dialogue
        ? { key, state: stored.dialogue, json: JSON.stringify(stored.dialogue) }
        : { key, state: handlers.initialState(), json: '' };
      context.turnState.set(STATE, loaded);
    }
    return loaded;
  };

  const turnIO = async (message: BotkitMessage): Promise<TurnIO<S, R>> => {
    const context = message.context as TurnContext;
    const { state } = await loadState(context);
    return {
      text: message.text ?? '',
      channel: context.activity.channelId,
      session: context.activity.conversation.id,
      user: context.activity.from.id,
      state,
      // The reply travels in the turn state rather than as an activity: channels want the structured Reply.
      reply: (payload) => { context.turnState.set(REPLY, payload); },
    };
  };

  // Function triggers, never strings: Botkit turns strings into RegExps, and "？" or "(" in Chinese would change the match.
  controller.interrupts(async (message: BotkitMessage) => handlers.isInterrupt(message.text ?? ''), 'message',
    async (_bot, message) => { await handlers.interrupt(await turnIO(message)); });
  controller.on('message', async (_bot, message) => { await handlers.message(await turnIO(message)); });

  return {
    async processTurn(incoming) {
      const activity: Partial<Activity> = {
        type: ActivityTypes.Message,
        id: randomUUID(),
        text: incoming.text,
        channelId: incoming.channel,
        from: { id: incoming.user, name: incoming.user },
        recipient: { id: 'banshi', name: 'banshi' },
        conversation: { id: incoming.session, isGroup: false, conversationType: 'personal', name: incoming.session },
        timestamp: new Date(),
      };
      let result: R | undefined;
      let loaded: LoadedState<S> | undefined;
      await adapter.processTurn(activity, async (context) => {
        await controller.handleTurn(context);
        result = context.turnState.get(REPLY) as R | undefined;
        loaded = context.turnState.get(STATE) as LoadedState<S> | undefined;
      });
      if (result === undefined) throw new Error('the dialogue produced no reply');
      return {
        result,
        saveState() {
          // '*': written unconditionally, as botbuilder's BotState always wrote it.
          if (loaded && JSON.stringify(loaded.state) !== loaded.json) storage.writeNow({ [loaded.key]: { dialogue: loaded.state, eTag: '*' } });
        },
      };
    },
    async reset(session, channel) {
      await storage.delete([stateKey(channel, session)]);
      // Botkit's own key (its dialog stack) joins the conversation's fields, sorted by name, and the user:
      // `personal-<id>-false-<name>-<user>/`. The user is not known here, so every user's row goes.
      storage.deletePrefix(`${channel}/conversations/personal-${session}-false-${session}-`);
    },
  };
}
