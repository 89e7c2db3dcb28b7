// Shared helpers for the staff API tests: calls with a bearer token, staff
// accounts of each role, and a citizen's chat turn.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Reply } from '../../bot/index.ts';
import type { Role } from './accounts.ts';

export const OPERATOR_TOKEN = 't';

export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A staff call; the operator's token unless another (or null for none) is given. */
export async function call(app: FastifyInstance, url: string, options: Call = {}): Promise<LightMyRequestResponse> {
  const token = options.token === undefined ? OPERATOR_TOKEN : options.token;
  const raw = typeof options.body === 'string' || Buffer.isBuffer(options.body);
  return app.inject({
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
    ...(options.body === undefined ? {} : raw ? { payload: options.body as string | Buffer } : { payload: options.body as object }),
  });
}

/** Creates an account (as the operator) and logs it in; returns its session token. */
export async function staffToken(app: FastifyInstance, username: string, role: Role, password = 'correct horse'): Promise<string> {
  const created = await call(app, '/api/admin/users', { body: { username, password, role } });
  if (created.statusCode !== 201) throw new Error(`creating ${username}: ${created.statusCode} ${created.body}`);
  const login = await call(app, '/api/admin/login', { token: null, body: { username, password } });
  if (login.statusCode !== 200) throw new Error(`login ${username}: ${login.statusCode} ${login.body}`);
  return login.json<{ token: string }>().token;
}

export interface ChatAnswer {
  session: string;
  reply: Reply;
}

/** One citizen turn through the public chat API. */
export async function chat(app: FastifyInstance, text: string, session?: string): Promise<ChatAnswer> {
  const response = await app.inject({ method: 'POST', url: '/api/chat', payload: session ? { session, text } : { text } });
  if (response.statusCode !== 200) throw new Error(`chat: ${response.statusCode} ${response.body}`);
  return response.json<ChatAnswer>();
}
