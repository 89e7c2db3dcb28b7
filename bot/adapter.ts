// The base class every channel extends, after Botkit's platform adapters: a
// channel names itself and says how a Reply looks in its medium, while the turn
// itself always goes through the bot's one door, so every channel answers alike.
import type { Incoming, Reply } from './reply.ts';

/** How a channel reaches the bot; `Via` is what it hands along with a turn (e.g. its request's logger). */
export type TurnDoor<Via> = (incoming: Incoming, via: Via) => Promise<Reply>;

export abstract class ChannelAdapter<Shown, Via = void> {
  /** Stamped on every turn the channel brings: turn log, sessions, staff analytics. */
  abstract readonly channel: string;

  constructor(private readonly door: TurnDoor<Via>, private readonly greeting: () => Reply) {}

  /** One message of a conversation, answered as this medium shows it. */
  async answer(message: Omit<Incoming, 'channel'>, via: Via): Promise<Shown> {
    const reply = await this.door({ ...message, channel: this.channel }, via);
    return this.render(reply, message.session);
  }

  /** The greeting that opens a conversation, as this medium shows it. */
  welcome(session: string): Shown {
    return this.render(this.greeting(), session);
  }

  /** The reply in this medium; `session` is the conversation it answers (channels that keep per-session state use it). */
  protected abstract render(reply: Reply, session: string): Shown;
}
