// The staff API client: the bearer token lives in sessionStorage (this tab only,
// gone when it closes), every call goes to /api/admin on this origin, and every
// failure becomes an ApiError carrying the server's code, message and fields.

const KEY = 'banshi.admin.session';

export const RoleLabels = { viewer: '查看员', editor: '编辑', reviewer: '审核员', admin: '管理员' };
const RoleOrder = ['viewer', 'editor', 'reviewer', 'admin'];

export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
      return value && typeof value.token === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  set(value) { sessionStorage.setItem(KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(KEY); },
};

/** Does the signed-in role include `needed`? (The server checks again on every call.) */
export function can(needed) {
  const current = session.get();
  return current ? RoleOrder.indexOf(current.role) >= RoleOrder.indexOf(needed) : false;
}

export class ApiError extends Error {
  constructor(status, body) {
    const message = body && typeof body === 'object' && typeof body.message === 'string'
      ? body.message
      : `请求失败（HTTP ${status}）`;
    super(message);
    this.status = status;
    this.code = body && typeof body === 'object' ? body.error ?? null : null;
    this.body = body && typeof body === 'object' ? body : {};
  }
}

let onUnauthorized = () => {};
/** What to do when the session has ended under us (expired, disabled, logged out elsewhere). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '' && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * One staff call. `body` is sent as JSON unless `raw` (bytes or text) is given
 * with its `contentType`. Resolves with the parsed JSON (null for 204).
 */
export async function api(path, { method, body, raw, contentType, params, ifMatch, token } = {}) {
  const headers = {};
  const bearer = token ?? session.get()?.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (ifMatch !== undefined && ifMatch !== null) headers['if-match'] = String(ifMatch);
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['content-type'] = contentType ?? 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(`/api/admin${path}${query(params)}`, {
      method: method ?? (payload === undefined ? 'GET' : 'POST'), headers, body: payload, cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { error: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  const type = response.headers.get('content-type') ?? '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    // A login attempt's 401 is the form's business, not an expired session.
    if (response.status === 401 && path !== '/login' && !token) onUnauthorized(error);
    throw error;
  }
  return data;
}

/** Fetches a download with the bearer token and saves it under the server's file name. */
export async function download(path, params) {
  const bearer = session.get()?.token;
  const response = await fetch(`/api/admin${path}${query(params)}`, {
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, cache: 'no-store',
  }).catch(() => null);
  if (!response) throw new ApiError(0, { error: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    const error = new ApiError(response.status, body);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'banshi-download';
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the browser reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, size: blob.size, headers: response.headers };
}
