// Shared fakes for the WeChat channel's tests: WeChat's side of the callback
// (signed query strings, message XML, safe-mode encryption written straight from
// the published algorithm, not from crypto.ts) and a local stand-in for WeChat's
// API on loopback.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TestToken = 'banshi-test-token';
export const TestAppId = 'wx0123456789abcdef';
/** 43 characters of base64 → 32 bytes. */
export const TestAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const AccountId = 'gh_banshi_account';
export const OpenId = 'oBanshiCitizen0001';

function sha1(parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** The query string WeChat appends to the callback URL. */
export function signedQuery(options: { token?: string; timestamp?: string; nonce?: string; extra?: Record<string, string> } = {}): string {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e9));
  const signature = sha1([options.token ?? TestToken, timestamp, nonce]);
  return new URLSearchParams({ signature, timestamp, nonce, ...options.extra }).toString();
}

function tag(name: string, value: string, raw = false): string {
  return raw ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`;
}

let nextMsgId = 7_300_000_000_000_000_001n;

export interface MessageOptions {
  from?: string;
  createTime?: number;
  msgId?: string;
}

function envelope(type: string, body: string, options: MessageOptions, withMsgId: boolean): string {
  const msgId = options.msgId ?? String(nextMsgId++);
  return `<xml>${tag('ToUserName', AccountId)}${tag('FromUserName', options.from ?? OpenId)}`
    + `${tag('CreateTime', String(options.createTime ?? Math.floor(Date.now() / 1000)), true)}${tag('MsgType', type)}`
    + `${body}${withMsgId ? tag('MsgId', msgId, true) : ''}</xml>`;
}

export const wechatXml = {
  text: (content: string, options: MessageOptions = {}) => envelope('text', tag('Content', content), options, true),
  voice: (recognition: string, options: MessageOptions = {}) =>
    envelope('voice', `${tag('MediaId', 'media-1')}${tag('Format', 'amr')}${tag('Recognition', recognition)}`, options, true),
  image: (options: MessageOptions = {}) =>
    envelope('image', `${tag('PicUrl', 'http://mmbiz.example/pic.jpg')}${tag('MediaId', 'media-2')}`, options, true),
  event: (event: string, eventKey = '', options: MessageOptions = {}) =>
    envelope('event', `${tag('Event', event)}${eventKey ? tag('EventKey', eventKey) : ''}`, options, false),
};

/** Safe-mode encryption as WeChat documents it, written independently of crypto.ts. */
export function wechatEncrypt(xml: string, aesKey = TestAesKey, appId = TestAppId): string {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const body = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId)]);
  const pad = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

export function wechatDecrypt(encrypted: string, aesKey = TestAesKey): { xml: string; appId: string } {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const plain = padded.subarray(0, padded.length - padded[padded.length - 1]!);
  const length = plain.readUInt32BE(16);
  return { xml: plain.subarray(20, 20 + length).toString('utf8'), appId: plain.subarray(20 + length).toString('utf8') };
}

/** A safe-mode request: the body wraps the encrypted message, the query carries msg_signature. */
export function encryptedRequest(xml: string, options: { msgSignature?: string } = {}): { url: string; body: string } {
  const encrypt = wechatEncrypt(xml);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = '1357924680';
  const msgSignature = options.msgSignature ?? sha1([TestToken, timestamp, nonce, encrypt]);
  const query = signedQuery({ timestamp, nonce, extra: { encrypt_type: 'aes', msg_signature: msgSignature } });
  return { url: `/wechat?${query}`, body: `<xml>${tag('ToUserName', AccountId)}${tag('Encrypt', encrypt)}</xml>` };
}

export function signatureOf(parts: string[]): string {
  return sha1(parts);
}

export interface SentMessage {
  accessToken: string;
  body: { touser: string; msgtype: string; text: { content: string } };
}

/** WeChat's token and customer-service endpoints on 127.0.0.1, recording every call. */
export interface FakeWechatApi {
  baseUrl: string;
  tokenCalls: { appid: string | null; secret: string | null }[];
  sent: SentMessage[];
  /** Tokens the fake now refuses with errcode 40001. */
  revoked: Set<string>;
  /** Resolves when `count` messages have been sent. */
  waitForSent(count: number, timeoutMs?: number): Promise<SentMessage[]>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeWechatApi(options: { expiresIn?: number } = {}): Promise<FakeWechatApi> {
  const tokenCalls: FakeWechatApi['tokenCalls'] = [];
  const sent: SentMessage[] = [];
  const revoked = new Set<string>();
  const issued = new Set<string>();
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const json = (body: unknown): void => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method === 'GET' && url.pathname === '/cgi-bin/token') {
        tokenCalls.push({ appid: url.searchParams.get('appid'), secret: url.searchParams.get('secret') });
        if (url.searchParams.get('grant_type') !== 'client_credential') return json({ errcode: 40002, errmsg: 'invalid grant_type' });
        const token = `token-${tokenCalls.length}`;
        issued.add(token);
        return json({ access_token: token, expires_in: options.expiresIn ?? 7200 });
      }
      if (request.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
        const accessToken = url.searchParams.get('access_token') ?? '';
        const body = JSON.parse(await readBody(request)) as SentMessage['body'];
        if (!issued.has(accessToken) || revoked.has(accessToken)) return json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        sent.push({ accessToken, body });
        waiters.splice(0).forEach((wake) => wake());
        return json({ errcode: 0, errmsg: 'ok' });
      }
      response.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tokenCalls, sent, revoked,
    async waitForSent(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} customer-service messages, got ${sent.length}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
      return sent;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
