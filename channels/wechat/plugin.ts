// GET, POST /wechat: the official account's callback. Verifies WeChat's signature
// (401 before anything else is read), decrypts safe-mode messages, turns each
// message or event into a question for the bot, and answers with a passive XML
// reply within WeChat's 5 seconds; a slower answer goes out through the
// customer-service API instead. Retries of one message share one answer.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { ChannelAdapter, type Reply } from '../../bot/index.ts';
import { entryTitle } from '../../knowledge/index.ts';
import type { ChannelContext } from '../context.ts';
import { ChannelError } from '../errors.ts';
import { createWechatCipher, type WechatCipher } from './crypto.ts';
import { createCustomerService, type CustomerService } from './customer-service.ts';
import { WechatState, messageKey, type ExchangeState } from './dedupe.ts';
import { WechatError } from './errors.ts';
import { menuAction } from './menu.ts';
import { pickChoice, portalLink, renderReply } from './render.ts';
import { verifyMessageSignature, verifyRequestSignature, wechatSignature } from './signature.ts';
import { MalformedXml, encryptedReplyXml, parseWechatXml, textReplyXml } from './xml.ts';

/** How often a retry looks whether another process has answered its message. */
const PollMs = 50;

/** How far a signed message's timestamp may be from our clock. */
const MaxClockSkewSeconds = 300;

export interface WechatOptions {
  /** WECHAT_TOKEN; without it /wechat answers 503. */
  token?: string | undefined;
  /** WECHAT_APPID; required in safe mode and for the customer-service API. */
  appId?: string | undefined;
  /** WECHAT_AES_KEY (43 characters): safe mode. */
  aesKey?: string | undefined;
  /** WECHAT_SECRET: lets slow answers go out through the customer-service API. */
  secret?: string | undefined;
  /** WeChat's API; default https://api.weixin.qq.com. */
  apiBaseUrl?: string | undefined;
  /** The public portal, for "完整内容请查看" links on shortened answers (e.g. https://banshi.example.gov.cn). */
  publicUrl?: string | undefined;
  /** How long to wait for the bot before answering "success" and sending later; default 4000 ms (WeChat waits 5 s). */
  replyBudgetMs?: number | undefined;
  /** Largest callback body; default 32 KiB (WeChat's messages are well under 4 KiB). */
  bodyLimit?: number | undefined;
  /** How long a message's answer is kept for WeChat's retries; default 5 minutes. */
  dedupeTtlMs?: number | undefined;
  /** Per call to WeChat's API; default 5000 ms. */
  apiTimeoutMs?: number | undefined;
  /** Extra CLICK EventKeys → questions, besides "ASK:<question>" and the built-in keys (see menu.ts). */
  menu?: Readonly<Record<string, string>> | undefined;
}

const Defaults = {
  apiBaseUrl: 'https://api.weixin.qq.com',
  replyBudgetMs: 4000,
  bodyLimit: 32 * 1024,
  dedupeTtlMs: 5 * 60_000,
  apiTimeoutMs: 5000,
};

const Texts = {
  subscribed: '感谢关注！',
  emptyText: '请输入您想咨询的办事问题，例如“身份证丢了怎么补办”。',
  voiceUnrecognized: '抱歉，没有听清您的语音。请用文字输入您的问题，例如“身份证丢了怎么补办”。',
  unsupported: '抱歉，我目前只能理解文字和语音消息。请用文字描述您想办理的事项，例如“身份证丢了怎么补办”。',
  unknownMenu: '抱歉，这个菜单暂未开通。您可以直接输入想咨询的办事问题。',
  failed: '抱歉，系统暂时繁忙，请稍后再试，或拨打 12345 政务服务便民热线咨询。',
};

interface CallbackQuery {
  signature: string;
  timestamp: string;
  nonce: string;
  echostr?: string;
  msg_signature?: string;
  encrypt_type?: string;
}

const SignedQuery = {
  type: 'object',
  required: ['signature', 'timestamp', 'nonce'],
  properties: {
    signature: { type: 'string', minLength: 1, maxLength: 128 },
    timestamp: { type: 'string', minLength: 1, maxLength: 32 },
    nonce: { type: 'string', minLength: 1, maxLength: 128 },
    echostr: { type: 'string', minLength: 1, maxLength: 1024 },
    msg_signature: { type: 'string', minLength: 1, maxLength: 128 },
    encrypt_type: { type: 'string', maxLength: 16 },
  },
} as const;

/** Every request comes from WeChat's few servers on behalf of all citizens: a per-address rate limit would throttle them all. */
const routeConfig = { rateLimit: false } as const;

function within<T>(promise: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ done: false }), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve({ done: true, value }); },
      (error: unknown) => { clearTimeout(timer); reject(error instanceof Error ? error : new Error(String(error))); },
    );
  });
}

/** WeChat's passive replies: plain text within its limits, options as numbers the citizen answers with a digit. */
class WechatChannel extends ChannelAdapter<string, FastifyBaseLogger> {
  readonly channel = 'wechat';

  constructor(ctx: ChannelContext, private readonly state: WechatState, private readonly moreLink: (reply: Reply) => string | undefined) {
    super(ctx.turn, () => ctx.bot.welcome());
  }

  /** Also remembers the numbered options, so the citizen's next digit picks one. */
  protected render(reply: Reply, session: string): string {
    const rendered = renderReply(reply, { moreLink: this.moreLink(reply) });
    this.state.setChoices(session, rendered.choices);
    return rendered.content;
  }
}

export async function wechatPlugin(app: FastifyInstance, ctx: ChannelContext, options: WechatOptions): Promise<void> {
  // Bodies arrive as strings whatever their type: the XML is read only after the signature passed
  // (and an unconfigured channel answers 503 to any of them).
  app.removeAllContentTypeParsers();
  const asString = (_request: unknown, body: string, done: (err: Error | null, body?: string) => void): void => { done(null, body); };
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, asString);
  app.addContentTypeParser('*', { parseAs: 'string' }, asString);

  const token = options.token;
  if (!token) {
    // Answered here, not thrown: the shared handler hides 5xx messages, and this one should tell the operator what to set.
    const unavailable = new ChannelError('UNAVAILABLE', 'the WeChat channel (WECHAT_TOKEN)');
    app.all('/wechat', async (_request, reply) => reply.status(unavailable.statusCode).send({ error: unavailable.code, message: unavailable.message }));
    return;
  }
  if (options.aesKey && !options.appId) throw new WechatError('WECHAT_CONFIG', 'safe mode (WECHAT_AES_KEY) needs WECHAT_APPID');
  if (options.secret && !options.appId) throw new WechatError('WECHAT_CONFIG', 'WECHAT_SECRET needs WECHAT_APPID');
  const settings = {
    apiBaseUrl: options.apiBaseUrl ?? Defaults.apiBaseUrl,
    replyBudgetMs: options.replyBudgetMs ?? Defaults.replyBudgetMs,
    bodyLimit: options.bodyLimit ?? Defaults.bodyLimit,
    dedupeTtlMs: options.dedupeTtlMs ?? Defaults.dedupeTtlMs,
    apiTimeoutMs: options.apiTimeoutMs ?? Defaults.apiTimeoutMs,
  };
  const cipher: WechatCipher | null = options.aesKey ? createWechatCipher(options.aesKey, options.appId!) : null;
  const customerService: CustomerService | null = options.secret
    ? createCustomerService({ appId: options.appId!, secret: options.secret, baseUrl: settings.apiBaseUrl, timeoutMs: settings.apiTimeoutMs })
    : null;
  const state = new WechatState(ctx.store.db, { exchangeTtlMs: settings.dedupeTtlMs, choicesTtlMs: 30 * 60_000 });
  // The answers this process is computing: a retry reaching it waits on the promise instead of polling.
  const running = new Map<string, Promise<string | null>>();
  const deliveries = new Set<Promise<void>>();
  app.addHook('onClose', async () => { await Promise.allSettled([...deliveries]); });

  const moreLink = (reply: Reply): string | undefined => {
    if (!options.publicUrl) return undefined;
    const entry = reply.entryId ? ctx.retriever.entry(reply.entryId) : null;
    return portalLink(options.publicUrl, entry ? entryTitle(entry) : null);
  };

  const wechat = new WechatChannel(ctx, state, moreLink);
  const ask = async (openId: string, text: string, log: FastifyBaseLogger): Promise<string> => {
    const session = ctx.sessions.forUser('wechat', openId);
    const picked = pickChoice(text, state.choices(session));
    return wechat.answer({ session, text: picked ?? text, user: openId }, log);
  };

  const welcome = (openId: string, prefix = ''): string => prefix + wechat.welcome(ctx.sessions.forUser('wechat', openId));

  /** What to say to one message; null for events that take no answer. */
  const answerMessage = async (message: Record<string, string>, log: FastifyBaseLogger): Promise<string | null> => {
    const openId = message['FromUserName']!;
    switch (message['MsgType']) {
      case 'text': {
        const text = (message['Content'] ?? '').trim();
        return text ? ask(openId, text, log) : Texts.emptyText;
      }
      case 'voice': {
        // Recognition is filled in when speech recognition is switched on for the account.
        const text = (message['Recognition'] ?? '').trim();
        return text ? ask(openId, text, log) : Texts.voiceUnrecognized;
      }
      case 'event':
        switch ((message['Event'] ?? '').toLowerCase()) {
          case 'subscribe':
            return welcome(openId, Texts.subscribed);
          case 'click': {
            const action = menuAction(message['EventKey'] ?? '', options.menu);
            if (!action) {
              log.warn({ eventKey: message['EventKey'] ?? '' }, 'wechat menu key not mapped');
              return Texts.unknownMenu;
            }
            return action.type === 'welcome' ? welcome(openId) : ask(openId, action.text, log);
          }
          default:
            return null;
        }
      default:
        return Texts.unsupported;
    }
  };

  /** The message's state once answered or handed on, or when the budget is spent (then still pending). */
  const settled = async (key: string, budgetMs: number): Promise<ExchangeState | undefined> => {
    const deadline = performance.now() + budgetMs;
    for (;;) {
      const known = state.get(key);
      const remaining = deadline - performance.now();
      if (known?.state !== 'pending' || remaining <= 0) return known;
      const mine = running.get(key);
      // Another process is answering: look again shortly.
      await (mine ? within(mine, remaining) : new Promise((done) => setTimeout(done, Math.min(PollMs, remaining))));
    }
  };

  const deliverLater = (answer: Promise<string | null>, openId: string, log: FastifyBaseLogger): void => {
    const delivery = answer.then(async (content) => {
      if (content === null) return;
      if (!customerService) {
        log.warn('wechat answer took longer than the reply budget and WECHAT_SECRET is not set: the answer was not delivered');
        return;
      }
      await customerService.sendText(openId, content);
      log.info('wechat answer delivered through the customer-service API');
    }).catch((error: unknown) => {
      log.error({ err: error }, 'wechat customer-service delivery failed');
    });
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  };

  const sendXml = (reply: FastifyReply, message: Record<string, string>, content: string, encrypted: boolean): FastifyReply => {
    const xml = textReplyXml({
      toUser: message['FromUserName']!, fromUser: message['ToUserName']!, createTime: Math.floor(Date.now() / 1000), content,
    });
    if (!encrypted || !cipher) return reply.type('application/xml; charset=utf-8').send(xml);
    const encrypt = cipher.encrypt(xml);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(randomBytes(5).readUIntBE(0, 5));
    return reply.type('application/xml; charset=utf-8').send(encryptedReplyXml({
      encrypt, msgSignature: wechatSignature(token, timestamp, nonce, encrypt), timestamp, nonce,
    }));
  };

  app.get<{ Querystring: CallbackQuery }>('/wechat', {
    config: routeConfig,
    schema: { querystring: { ...SignedQuery, required: [...SignedQuery.required, 'echostr'] } },
  }, async (request, reply) => {
    const { signature, timestamp, nonce, echostr } = request.query;
    if (!verifyRequestSignature(token, timestamp, nonce, signature)) throw new ChannelError('BAD_SIGNATURE');
    return reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(echostr);
  });

  app.post<{ Querystring: CallbackQuery; Body: string | undefined }>('/wechat', {
    config: routeConfig,
    bodyLimit: settings.bodyLimit,
    schema: { querystring: SignedQuery },
  }, async (request, reply) => {
    const { signature, timestamp, nonce } = request.query;
    if (!verifyRequestSignature(token, timestamp, nonce, signature)) throw new ChannelError('BAD_SIGNATURE');
    // A captured request replayed later is refused; WeChat's own retries come within seconds.
    if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= MaxClockSkewSeconds)) throw new ChannelError('BAD_SIGNATURE');

    let message: Record<string, string>;
    let encrypted = false;
    try {
      message = parseWechatXml(request.body ?? '');
      const sealed = message['Encrypt'];
      // Compatible mode sends the plain fields and Encrypt together: the encrypted copy is the one signed.
      if (sealed !== undefined) {
        if (!cipher) throw new ChannelError('BAD_REQUEST', 'encrypted message received, but WECHAT_AES_KEY is not set');
        const msgSignature = request.query.msg_signature;
        if (!msgSignature) throw new ChannelError('BAD_REQUEST', 'querystring/msg_signature is required for an encrypted message');
        if (!verifyMessageSignature(token, timestamp, nonce, sealed, msgSignature)) throw new ChannelError('BAD_SIGNATURE');
        message = parseWechatXml(cipher.decrypt(sealed));
        encrypted = true;
      }
    } catch (error) {
      if (error instanceof MalformedXml) throw new ChannelError('BAD_REQUEST', `the body must be WeChat XML: ${error.message}`);
      if (error instanceof WechatError) {
        throw error.code === 'WECHAT_FOREIGN_APPID'
          ? new ChannelError('BAD_SIGNATURE', '', { cause: error })
          : new ChannelError('BAD_REQUEST', error.message, { cause: error });
      }
      throw error;
    }
    for (const field of ['ToUserName', 'FromUserName', 'MsgType']) {
      if (!message[field]) throw new ChannelError('BAD_REQUEST', `the message has no ${field}`);
    }

    const log = request.log;
    const key = messageKey(message);
    const first = state.claim(key);
    if (first) {
      const answer = answerMessage(message, log).catch((error: unknown) => {
        log.error({ err: error }, 'wechat turn failed');
        return Texts.failed;
      });
      running.set(key, answer);
      void answer.then((content) => state.answered(key, content)).finally(() => running.delete(key));
    }
    log.debug({ msgType: message['MsgType'], event: message['Event'], retry: !first, encrypted }, 'wechat message');
    const known = await settled(key, settings.replyBudgetMs);
    if (known?.state === 'answered' && known.content !== null) return sendXml(reply, message, known.content, encrypted);
    // Still unanswered: the first try answers "success" now so WeChat stops retrying, and sends the answer when ready.
    if (known?.state === 'pending' && first && state.markLate(key)) deliverLater(running.get(key)!, message['FromUserName']!, log);
    return reply.type('text/plain').send('success');
  });
}
