// The staff curation app: login, the top bar, and a hash router over the screens.
// Each screen module exports `render(main, route)`; a screen with unsaved work
// sets a leave guard so a click on the navigation never throws an edit away silently.
import { api, ApiError, RoleLabels, session, whenUnauthorized } from './api.js';
import { clear, confirmDialog, el } from './dom.js';
import * as analytics from './analytics.js';
import * as editor from './editor.js';
import * as entries from './entries.js';
import * as inbox from './inbox.js';
import * as tools from './tools.js';

const $ = (id) => document.getElementById(id);

const Screens = {
  entries: { nav: 'entries', render: entries.render },
  entry: { nav: 'entries', render: editor.renderEntry },
  new: { nav: 'entries', render: editor.renderNew },
  'hit-test': { nav: 'hit-test', render: tools.renderHitTest },
  batch: { nav: 'batch', render: tools.renderBatch },
  import: { nav: 'import', render: tools.renderImport },
  inbox: { nav: 'inbox', render: inbox.render },
  analytics: { nav: 'analytics', render: analytics.render },
};

/** `#/entry/abc?x=1` → { section: 'entry', parts: ['abc'], params }. */
export function parseRoute(hash = location.hash) {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  return { section: parts[0] ?? 'entries', parts: parts.slice(1), params: new URLSearchParams(search) };
}

export function go(hash) {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

/** Replaces the query of the current screen without a new render (filters, paging). */
export function setParams(params) {
  const { section, parts } = parseRoute();
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) search.set(k, String(v));
  const path = ['#', section, ...parts.map(encodeURIComponent)].join('/');
  const text = search.toString();
  history.replaceState(null, '', text ? `${path}?${text}` : path);
  current = location.hash;
}

/** Changes the address without drawing the screen again (a new entry got its id). */
export function replaceRoute(hash) {
  history.replaceState(null, '', hash);
  current = location.hash;
}

let leaveGuard = null;
/** A screen with unsaved work registers a function returning a warning, or null when all is saved. */
export function guardLeaving(fn) {
  leaveGuard = fn;
}

let current = '';
let restoring = false;

async function route() {
  if (restoring) { restoring = false; return; }
  if (!session.get()) { showLogin(); return; }
  const warning = leaveGuard?.();
  if (warning && location.hash !== current) {
    const leave = await confirmDialog(`${warning}。离开后这些修改会丢失，确定离开吗？`, { ok: '离开，不保存' });
    if (!leave) {
      restoring = true;
      location.hash = current;
      return;
    }
  }
  leaveGuard = null;
  current = location.hash;
  const r = parseRoute();
  const screen = Screens[r.section] ?? Screens.entries;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.section === screen.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const main = $('main');
  clear(main, el('p', { class: 'loading', text: '正在加载…' }));
  try {
    await screen.render(main, r);
  } catch (error) {
    clear(main, el('h1', { text: '出错了', attrs: { tabindex: '-1' } }),
      el('div', { class: 'notice error', attrs: { role: 'alert' }, text: error instanceof Error ? error.message : String(error) }));
  }
  const heading = main.querySelector('h1');
  if (heading && document.activeElement?.closest?.('#main') === null) heading.focus({ preventScroll: true });
}

export function announce(text) {
  const region = $('global-status');
  region.textContent = '';
  // A fresh text node on the next frame, so screen readers announce a repeated message too.
  requestAnimationFrame(() => { region.textContent = text; });
}

function showShell(me) {
  $('login').hidden = true;
  $('shell').hidden = false;
  $('whoami-name').textContent = me.username === 'operator' ? '运维令牌' : me.username;
  $('whoami-role').textContent = RoleLabels[me.role] ?? me.role;
  document.body.dataset.role = me.role;
}

function showLogin(message) {
  $('shell').hidden = true;
  $('login').hidden = false;
  clear($('main'));
  leaveGuard = null;
  const error = $('login-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('login-username').focus();
}

function loginMessage(error) {
  if (!(error instanceof ApiError)) return String(error);
  if (error.code === 'BAD_CREDENTIALS' && typeof error.body.remainingAttempts === 'number') {
    return error.body.remainingAttempts > 0
      ? `${error.message}（还可尝试 ${error.body.remainingAttempts} 次）`
      : `${error.message}，账号已暂时锁定`;
  }
  return error.message;
}

async function login(event) {
  event.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const error = $('login-error');
  if (!username || !password) {
    error.hidden = false;
    error.textContent = '请填写用户名和密码';
    (username ? $('login-password') : $('login-username')).focus();
    return;
  }
  const submit = event.submitter ?? $('login-form').querySelector('button');
  submit.disabled = true;
  try {
    const result = await api('/login', { body: { username, password } });
    session.set({ token: result.token, username: result.user.username, role: result.user.role, via: 'session', expiresAt: result.expiresAt });
    $('login-password').value = '';
    error.hidden = true;
    await start();
  } catch (e) {
    error.hidden = false;
    error.textContent = loginMessage(e);
    $('login-password').select();
  } finally {
    submit.disabled = false;
  }
}

async function tokenLogin(event) {
  event.preventDefault();
  const token = $('login-token').value.trim();
  const error = $('token-error');
  if (!token) {
    error.hidden = false;
    error.textContent = '请填写运维令牌';
    return;
  }
  try {
    const me = await api('/me', { token });
    session.set({ token, username: me.username, role: me.role, via: me.via });
    $('login-token').value = '';
    error.hidden = true;
    await start();
  } catch (e) {
    error.hidden = false;
    error.textContent = e instanceof ApiError && e.status === 401 ? '令牌无效，或服务器未设置 ADMIN_TOKEN' : loginMessage(e);
  }
}

async function logout() {
  const warning = leaveGuard?.();
  if (warning && !(await confirmDialog(`${warning}。退出后这些修改会丢失，确定退出吗？`, { ok: '退出，不保存' }))) return;
  try {
    await api('/logout', { method: 'POST' });
  } catch {
    // The session ends on this side whatever the server said.
  }
  session.clear();
  showLogin('您已退出登录');
}

async function start() {
  try {
    const me = await api('/me');
    const saved = session.get();
    session.set({ ...saved, username: me.username, role: me.role, via: me.via });
    showShell(me);
  } catch (e) {
    session.clear();
    showLogin(e instanceof ApiError && e.status !== 401 ? e.message : undefined);
    return;
  }
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/entries');
  current = '';
  await route();
}

whenUnauthorized(() => {
  session.clear();
  showLogin('登录已失效，请重新登录');
});

window.addEventListener('hashchange', () => { void route(); });
window.addEventListener('beforeunload', (event) => {
  if (leaveGuard?.()) event.preventDefault();
});
$('login-form').addEventListener('submit', (e) => { void login(e); });
$('token-form').addEventListener('submit', (e) => { void tokenLogin(e); });
$('logout').addEventListener('click', () => { void logout(); });
// The skip link must not become a route: it only moves focus.
document.querySelector('.skip').addEventListener('click', (event) => { event.preventDefault(); $('main').focus(); });

if (session.get()) void start();
else showLogin();
