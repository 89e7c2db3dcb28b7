// POST /api/chat and GET /ws: the portal widget's two ways in.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { JsonChannel, type ChannelContext } from '../context.ts';

const ChatBody = Type.Object({
  session: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  text: Type.String({ minLength: 1, maxLength: 1000 }),
}, { additionalProperties: false });

const WsMessage = Type.Object({ type: Type.Literal('message'), text: Type.String({ minLength: 1, maxLength: 1000 }) });

/**
 * Messages per client (address) and minute over WebSocket: the HTTP rate limit counts
 * a socket's upgrade request once, not the turns sent through it. Per process, as the
 * HTTP limit is.
 */
export class MessageRate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one message; false when the client is over its limit for this minute. */
  take(client: string, now = Date.now()): boolean {
    if (this.perMinute <= 0) return true;
    let window = this.windows.get(client);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size >= 10_000) this.forgetBefore(now - 60_000);
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count += 1;
    return window.count <= this.perMinute;
  }

  private forgetBefore(time: number): void {
    for (const [client, window] of this.windows) if (window.start < time) this.windows.delete(client);
  }
}

export async function chatRoutes(app: FastifyInstance, ctx: ChannelContext, options: { messagesPerMinute: number }): Promise<void> {
  const web = new JsonChannel('web', ctx);
  const rate = new MessageRate(options.messagesPerMinute);
  app.post<{ Body: Static<typeof ChatBody> }>('/api/chat', { schema: { body: ChatBody } }, async (request) => {
    const session = ctx.sessions.resolve(request.body.session, 'web');
    const reply = await web.answer({ session, text: request.body.text }, request.log);
    return { session, reply };
  });

  app.get<{ Querystring: { session?: string } }>('/ws', { websocket: true }, (socket: WebSocket, request) => {
    const session = ctx.sessions.resolve(request.query.session, 'web');
    const send = (frame: unknown): void => { if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame)); };
    send({ type: 'welcome', session, reply: web.welcome(session) });
    socket.on('message', (data: RawData) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        send({ type: 'error', error: 'BAD_REQUEST', message: 'frames must be JSON: {"type":"message","text":"…"}' });
        return;
      }
      const f = frame as Partial<Static<typeof WsMessage>>;
      if (f?.type !== 'message' || typeof f.text !== 'string' || f.text.trim() === '' || f.text.length > 1000) {
        send({ type: 'error', error: 'BAD_REQUEST', message: '/text must be a non-empty string of at most 1000 characters' });
        return;
      }
      if (!rate.take(request.ip)) {
        send({ type: 'error', error: 'RATE_LIMITED', message: `too many messages: at most ${options.messagesPerMinute} a minute` });
        return;
      }
      // The turn logs its channel and session itself: a child logger with them would repeat both on its line.
      web.answer({ session, text: f.text }, request.log)
        .then((reply) => send({ type: 'reply', session, reply }))
        .catch((error: unknown) => {
          request.log.error({ err: error, channel: 'web', session }, 'turn failed');
          send({ type: 'error', error: 'INTERNAL', message: 'internal error' });
        });
    });
  });
}
