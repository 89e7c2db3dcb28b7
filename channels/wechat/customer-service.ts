// The customer-service message API (客服消息): how an answer reaches the citizen
// when the bot took longer than WeChat waits for a passive reply. Calls need an
// access token; it is fetched with the app secret, cached until shortly before it
// expires, shared by concurrent callers, and fetched anew once when WeChat says
// it is invalid or expired (another server holding the same secret may have
// refreshed it).
import { WechatApiError, WechatError } from './errors.ts';

export interface CustomerServiceOptions {
  appId: string;
  secret: string;
  /** https://api.weixin.qq.com, or a local stand-in in tests. */
  baseUrl: string;
  /** Per HTTP call. */
  timeoutMs: number;
  /** Refresh this long before the token's expires_in runs out (capped at half its lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
}

export interface CustomerService {
  sendText(openId: string, content: string): Promise<void>;
}

/** errcodes meaning "fetch a new token and try again". */
const StaleToken = new Set([40001, 40014, 42001]);

interface CachedToken {
  token: string;
  refreshAt: number;
}

export function createCustomerService(options: CustomerServiceOptions): CustomerService {
  const now = options.now ?? Date.now;
  const base = options.baseUrl.replace(/\/+$/, '');
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  let cached: CachedToken | null = null;
  let fetching: Promise<CachedToken> | null = null;

  async function call(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      // The URL carries the secret or the token: name the path only.
      throw new WechatError('WECHAT_NETWORK', new URL(url).pathname, { cause: error });
    }
    if (!response.ok) throw new WechatError('WECHAT_NETWORK', `${new URL(url).pathname} answered HTTP ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new WechatError('WECHAT_NETWORK', `${new URL(url).pathname} answered something other than JSON`, { cause: error });
    }
    if (!body || typeof body !== 'object') throw new WechatError('WECHAT_NETWORK', `${new URL(url).pathname} answered no object`);
    const result = body as Record<string, unknown>;
    const errcode = typeof result['errcode'] === 'number' ? result['errcode'] : 0;
    if (errcode !== 0) throw new WechatApiError(errcode, typeof result['errmsg'] === 'string' ? result['errmsg'] : '');
    return result;
  }

  async function fetchToken(): Promise<CachedToken> {
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: options.appId, secret: options.secret });
    const body = await call(`${base}/cgi-bin/token?${query.toString()}`);
    const token = body['access_token'];
    const expiresIn = body['expires_in'];
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new WechatError('WECHAT_NETWORK', '/cgi-bin/token answered without access_token and expires_in');
    }
    const lifetime = expiresIn * 1000;
    return { token, refreshAt: now() + lifetime - Math.min(margin, lifetime / 2) };
  }

  async function token(): Promise<string> {
    if (cached && now() < cached.refreshAt) return cached.token;
    // One fetch at a time: concurrent slow turns share it.
    fetching ??= fetchToken().finally(() => { fetching = null; });
    cached = await fetching;
    return cached.token;
  }

  async function send(accessToken: string, openId: string, content: string): Promise<void> {
    await call(`${base}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(accessToken)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: openId, msgtype: 'text', text: { content } }),
    });
  }

  return {
    async sendText(openId, content) {
      const first = await token();
      try {
        await send(first, openId, content);
      } catch (error) {
        if (!(error instanceof WechatApiError) || !StaleToken.has(error.errcode)) throw error;
        // Forget the token only if nobody has replaced it meanwhile, then try once more.
        if (cached?.token === first) cached = null;
        await send(await token(), openId, content);
      }
    },
  };
}
