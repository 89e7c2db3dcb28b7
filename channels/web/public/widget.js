/*!
 * 办事 (Banshi) web widget: one script tag on any portal page.
 *   <script src="https://host/widget.js" data-server="https://host"></script>
 * Optional attributes: data-title (panel title), data-ask-param (a query
 * parameter of the host page whose value is asked on load, e.g. "q").
 * Plain browser script, no build step, no third-party code: everything lives in
 * a shadow root so neither the portal's styles nor ours leak across.
 */
(function () {
  'use strict';

  if (window.BanshiWidget) return; // included twice: keep the first

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var dataset = (script && script.dataset) || {};
  var SERVER = (dataset.server || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, '');
  var TITLE = dataset.title || '办事助手';
  var ASK_PARAM = dataset.askParam || '';

  // Persisted formats carry a version: a stored conversation of another shape is dropped.
  var STORE_VERSION = 1;
  var CONVERSATION_KEY = 'banshi:v' + STORE_VERSION + ':' + SERVER + ':conversation';
  var CHECKLIST_PREFIX = 'banshi:v' + STORE_VERSION + ':' + SERVER + ':checklist:';
  var MAX_KEPT = 80;
  var REPLY_TIMEOUT_MS = 20000;
  var CONNECT_WAIT_MS = 3000;

  // ---------- storage (may be unavailable: private modes, blocked cookies) ----------

  function readJson(storage, key) {
    try {
      var raw = storage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function writeJson(storage, key, value) {
    try {
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage full or disabled: the widget still works, it just forgets */ }
  }

  function safeStorage(name) {
    try { return window[name]; } catch (e) { return null; }
  }
  // The conversation lives per tab (sessionStorage): on a shared computer it is
  // gone when the tab closes. Ticked materials are not personal and stay longer.
  var convStore = safeStorage('sessionStorage');
  var tickStore = safeStorage('localStorage');

  // ---------- DOM helpers: nodes only, reply content never goes through innerHTML ----------

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'class') el.className = value;
        else if (key.slice(0, 2) === 'on' && typeof value === 'function') el.addEventListener(key.slice(2), value);
        else el.setAttribute(key, value === true ? '' : String(value));
      });
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    if (children === null || children === undefined || children === false) return;
    if (Array.isArray(children)) { children.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof children === 'string' ? document.createTextNode(children) : children);
  }

  /** An http(s) URL, or null: javascript:, data: and friends never become links. */
  function safeUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, text) {
    return h('a', { href: href, target: '_blank', rel: 'noopener noreferrer' }, text);
  }

  // A URL ends at whitespace or at Chinese punctuation, which often follows it directly.
  var URL_PATTERN = /https?:\/\/[^\s<>"'，。；：、！？（）《》【】「」“”‘’]+/g;

  /** Text as text nodes, with http(s) URLs turned into links. */
  function richText(text) {
    var nodes = [];
    var last = 0;
    var value = String(text);
    value.replace(URL_PATTERN, function (match, offset) {
      var url = match.replace(/[.,;:!?)\]]+$/, '');
      var href = safeUrl(url);
      if (!href) return match;
      if (offset > last) nodes.push(value.slice(last, offset));
      nodes.push(link(href, url));
      last = offset + url.length;
      return match;
    });
    if (last < value.length) nodes.push(value.slice(last));
    return nodes;
  }

  function textBlock(text, className) {
    return h('p', { class: className || 'text' }, richText(text));
  }

  // ---------- styles ----------

  var CSS = [
    ':host { all: initial; }',
    '*, *::before, *::after { box-sizing: border-box; }',
    '.root { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;',
    '  font-size: 15px; line-height: 1.55; color: #1f2933; --brand: #1a56b8; --brand-dark: #123f8a; --accent: #c62828; --line: #d9e1ec; --soft: #f3f6fb; }',
    '.launcher { position: fixed; right: 24px; bottom: 24px; z-index: 2147483000; display: flex; align-items: center; gap: 8px;',
    '  padding: 12px 20px; border: 0; border-radius: 999px; background: var(--brand); color: #fff; font: inherit; font-size: 16px; font-weight: 600;',
    '  box-shadow: 0 6px 20px rgba(18, 63, 138, .35); cursor: pointer; }',
    '.launcher:hover { background: var(--brand-dark); }',
    '.root.open .launcher { display: none; }',
    '.launcher svg { width: 22px; height: 22px; fill: currentColor; }',
    'button:focus-visible, a:focus-visible, textarea:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }',
    '.panel { position: fixed; right: 24px; bottom: 24px; z-index: 2147483001; width: 400px; height: min(640px, calc(100vh - 48px));',
    '  display: flex; flex-direction: column; background: #fff; border-radius: 14px; overflow: hidden; box-shadow: 0 12px 40px rgba(15, 30, 60, .28); }',
    '.panel[hidden] { display: none; }',
    '.head { display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 16px; background: var(--brand); color: #fff; }',
    '.head-text { flex: 1; min-width: 0; }',
    '.head h2 { margin: 0; font-size: 17px; line-height: 1.3; }',
    '.head p { margin: 0; font-size: 12px; opacity: .85; }',
    '.head button { border: 1px solid rgba(255,255,255,.5); background: transparent; color: #fff; border-radius: 8px; font: inherit; font-size: 13px;',
    '  padding: 4px 10px; cursor: pointer; min-height: 32px; }',
    '.head button.close { font-size: 20px; line-height: 1; width: 36px; padding: 0; }',
    '.head button:hover { background: rgba(255,255,255,.15); }',
    '.status { padding: 4px 16px; font-size: 12px; background: #fff8e1; color: #6b4e00; border-bottom: 1px solid #f1e2b0; }',
    '.status[hidden] { display: none; }',
    '.log { position: relative; flex: 1; overflow-y: auto; padding: 14px 12px 8px; background: var(--soft); overscroll-behavior: contain; }',
    '.msg { display: flex; margin: 0 0 12px; }',
    '.msg.user { justify-content: flex-end; }',
    '.bubble { max-width: 88%; padding: 10px 12px; border-radius: 12px; background: #fff; border: 1px solid var(--line); overflow-wrap: anywhere; }',
    '.msg.user .bubble { background: var(--brand); color: #fff; border-color: var(--brand); border-bottom-right-radius: 4px; }',
    '.msg.bot .bubble { border-bottom-left-radius: 4px; }',
    '.msg.bot .bubble.has-card { width: 88%; }',
    '.msg.note { justify-content: center; }',
    '.msg.note .bubble { background: transparent; border: 0; color: #5b6675; font-size: 13px; text-align: center; padding: 2px 8px; }',
    '.text { margin: 0; white-space: pre-line; }',
    '.text + .card, .card + .text { margin-top: 8px; }',
    'a { color: var(--brand); }',
    '.msg.user a { color: #fff; }',
    '.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }',
    '.card h3 { margin: 0 0 6px; font-size: 15px; line-height: 1.4; color: var(--brand-dark); }',
    '.card .sub { margin: 0 0 6px; font-size: 13px; color: #5b6675; }',
    '.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; font-size: 14px; }',
    '.facts dt { color: #5b6675; white-space: nowrap; }',
    '.facts dd { margin: 0; }',
    '.actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }',
    '.chip { border: 1px solid var(--brand); background: #fff; color: var(--brand); border-radius: 999px; padding: 5px 12px; font: inherit; font-size: 14px;',
    '  cursor: pointer; min-height: 34px; text-align: left; }',
    '.chip:hover:not(:disabled) { background: #e8f0fc; }',
    '.chip:disabled { border-color: #c3ccd8; color: #8a95a3; cursor: default; }',
    '.chip.primary { background: var(--brand); color: #fff; }',
    '.chip.primary:hover:not(:disabled) { background: var(--brand-dark); }',
    '.chip.primary:disabled { background: #c3ccd8; border-color: #c3ccd8; color: #fff; }',
    '.option { display: flex; align-items: baseline; gap: 8px; width: 100%; border-radius: 10px; }',
    '.option .n { flex: none; display: inline-block; min-width: 20px; height: 20px; border-radius: 50%; background: var(--brand); color: #fff; font-size: 12px;',
    '  line-height: 20px; text-align: center; }',
    '.option:disabled .n { background: #c3ccd8; }',
    '.quick { display: flex; flex-wrap: wrap; gap: 6px; margin: -4px 0 12px; padding-left: 2px; }',
    '.checklist ul, .sheet ul, .faq ul { list-style: none; margin: 0; padding: 0; }',
    '.checklist li { border-top: 1px solid #eef1f5; }',
    '.checklist li:first-child { border-top: 0; }',
    '.checklist label { display: flex; gap: 10px; align-items: flex-start; padding: 7px 2px; cursor: pointer; }',
    '.checklist input { flex: none; width: 20px; height: 20px; margin: 2px 0 0; accent-color: var(--brand); cursor: pointer; }',
    '.checklist .item-name { font-weight: 600; }',
    '.checklist input:checked ~ .item .item-name { text-decoration: line-through; color: #6b7684; }',
    '.checklist .item-detail { display: block; font-size: 13px; color: #5b6675; }',
    '.badge { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 400; vertical-align: 1px; }',
    '.badge.required { background: #fdecea; color: var(--accent); }',
    '.badge.optional { background: #eef1f5; color: #5b6675; }',
    '.progress { margin: 0 0 4px; font-size: 13px; color: #2e7d32; }',
    '.hint { margin: 6px 0 0; font-size: 12px; color: #8a95a3; }',
    '.sheet details { border-top: 1px solid #eef1f5; padding: 4px 0; }',
    '.sheet summary { cursor: pointer; font-weight: 600; padding: 2px 0; }',
    '.sheet li { font-size: 14px; padding: 1px 0 1px 12px; position: relative; white-space: pre-line; }',
    '.sheet li::before { content: ""; position: absolute; left: 2px; top: .7em; width: 4px; height: 4px; border-radius: 50%; background: #8a95a3; }',
    '.bar { height: 6px; border-radius: 3px; background: #e3e9f2; overflow: hidden; margin: 2px 0 8px; }',
    '.bar span { display: block; height: 100%; background: var(--brand); }',
    '.steps ol { margin: 0; padding: 0 0 0 22px; font-size: 14px; }',
    '.steps li { color: #8a95a3; padding: 1px 0; }',
    '.steps li.done { color: #5b6675; }',
    '.steps li[aria-current] { color: #1f2933; }',
    '.steps li[aria-current] .step-title { font-weight: 700; color: var(--brand-dark); }',
    '.steps .step-desc { display: block; margin: 2px 0 4px; white-space: pre-line; }',
    '.steps .step-actor { display: block; font-size: 13px; color: #5b6675; }',
    '.faq li { padding: 2px 0; }',
    '.typing .bubble { display: inline-flex; gap: 4px; align-items: center; padding: 12px 14px; }',
    '.typing .dot { width: 7px; height: 7px; border-radius: 50%; background: #8a95a3; animation: banshi-blink 1.2s infinite ease-in-out; }',
    '.typing .dot:nth-child(2) { animation-delay: .2s; }',
    '.typing .dot:nth-child(3) { animation-delay: .4s; }',
    '@keyframes banshi-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }',
    '.compose { display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px; border-top: 1px solid var(--line); background: #fff; }',
    '.compose textarea { flex: 1; resize: none; min-height: 40px; max-height: 120px; padding: 8px 10px; border: 1px solid #b8c3d1; border-radius: 10px;',
    '  font: inherit; color: inherit; line-height: 1.45; }',
    '.compose button { flex: none; min-height: 40px; padding: 0 18px; border: 0; border-radius: 10px; background: var(--brand); color: #fff; font: inherit;',
    '  font-weight: 600; cursor: pointer; }',
    '.compose button:disabled { background: #9fb3d6; cursor: default; }',
    '.foot { margin: 0; padding: 0 12px 8px; font-size: 11px; color: #8a95a3; background: #fff; text-align: center; }',
    '@media (max-width: 480px) {',
    '  .panel { right: 0; bottom: 0; left: 0; top: 0; width: 100%; height: 100%; border-radius: 0; }',
    '  .launcher { right: 16px; bottom: 16px; }',
    '  .bubble { max-width: 92%; }',
    '  .msg.bot .bubble.has-card { width: 92%; }',
    '  .compose textarea { font-size: 16px; }', // below 16px iOS zooms the page on focus
    '}',
    '@media (prefers-reduced-motion: reduce) { .typing .dot { animation: none; opacity: .6; } }',
  ].join('\n');

  // ---------- state ----------

  var saved = convStore ? readJson(convStore, CONVERSATION_KEY) : null;
  var state = {
    session: saved && saved.v === STORE_VERSION && typeof saved.session === 'string' ? saved.session : null,
    messages: saved && saved.v === STORE_VERSION && Array.isArray(saved.messages) ? saved.messages : [],
    open: !!(saved && saved.v === STORE_VERSION && saved.open),
  };
  var pending = false;
  var generation = 0; // bumped by 新对话 so a late answer to the old conversation is dropped

  function persist() {
    if (!convStore) return;
    var kept = state.messages.filter(function (m) { return m.role !== 'note' || m.keep; }).slice(-MAX_KEPT);
    writeJson(convStore, CONVERSATION_KEY, { v: STORE_VERSION, session: state.session, open: state.open, messages: kept });
  }

  // ---------- the shell ----------

  var host = h('div', { id: 'banshi-widget', 'data-banshi': 'widget' });
  var shadow = host.attachShadow({ mode: 'open' });
  var icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  var iconPath = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  iconPath.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z');
  icon.appendChild(iconPath);

  var launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'banshi-panel', 'aria-haspopup': 'dialog' },
    [icon, h('span', null, '在线咨询')]);
  var titleId = 'banshi-title';
  var log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': '对话记录', tabindex: '0' });
  var status = h('div', { class: 'status', role: 'status', hidden: true });
  var input = h('textarea', { id: 'banshi-input', rows: '1', maxlength: '1000', placeholder: '请输入您要咨询的问题', 'aria-describedby': 'banshi-hint', enterkeyhint: 'send' });
  var sendButton = h('button', { type: 'submit' }, '发送');
  var form = h('form', { class: 'compose', onsubmit: function (e) { e.preventDefault(); submitInput(); } }, [
    h('label', { for: 'banshi-input', class: 'sr-only' }, '输入您的问题'),
    input,
    sendButton,
  ]);
  var closeButton = h('button', { type: 'button', class: 'close', 'aria-label': '关闭对话窗口', title: '关闭（Esc）', onclick: function () { close(); } }, '×');
  var resetButton = h('button', { type: 'button', title: '清空本页对话记录，开始新的对话', onclick: function () { restart(); } }, '新对话');
  var panel = h('div', { id: 'banshi-panel', class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId, hidden: true }, [
    h('div', { class: 'head' }, [
      h('div', { class: 'head-text' }, [h('h2', { id: titleId }, TITLE), h('p', null, '政务服务智能咨询 · 7×24小时')]),
      resetButton,
      closeButton,
    ]),
    status,
    log,
    form,
    h('p', { class: 'foot', id: 'banshi-hint' }, 'Enter 发送，Shift+Enter 换行 · 请勿输入证件号等个人信息'),
  ]);
  var root = h('div', { class: 'root' }, [launcher, panel]);
  // A constructed stylesheet is not inline style, so portals with a strict
  // Content-Security-Policy need no 'unsafe-inline' for the widget.
  var sheet = null;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch (e) {
    shadow.appendChild(h('style', null, CSS));
  }
  shadow.appendChild(root);

  launcher.addEventListener('click', function () { if (panel.hidden) open(true); else close(); });
  root.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !e.isComposing && !panel.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('keydown', function (e) {
    // While an input method is composing Chinese, Enter confirms the candidate, not the message.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitInput();
    }
  });
  input.addEventListener('input', autoGrow);

  function autoGrow() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  }

  // ---------- open / close ----------

  function open(moveFocus) {
    if (!panel.hidden) {
      if (moveFocus) input.focus();
      return;
    }
    panel.hidden = false;
    root.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', '在线咨询（已打开）');
    state.open = true;
    persist();
    transport.start();
    scrollToEnd();
    if (moveFocus) input.focus();
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    root.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.removeAttribute('aria-label');
    state.open = false;
    persist();
    launcher.focus();
  }

  function restart() {
    generation++;
    state.session = null;
    state.messages = [];
    persist();
    while (log.firstChild) log.removeChild(log.firstChild);
    setPending(false);
    transport.reset();
    input.focus();
  }

  // ---------- messages ----------

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(message) {
    state.messages.push(message);
    persist();
    retireOlderActions();
    var previous = log.lastElementChild;
    log.appendChild(renderMessage(message, true));
    var first = previous ? previous.nextElementSibling : log.firstElementChild;
    // A long answer (a checklist, a notification sheet) is read from its top, not its end.
    if (message.role === 'bot' && first && log.scrollHeight - first.offsetTop > log.clientHeight) {
      log.scrollTop = Math.max(0, first.offsetTop - 12);
    } else {
      scrollToEnd();
    }
  }

  /** Only the newest bot message keeps working buttons: an old 「下一步」 would act on today's state. */
  function retireOlderActions() {
    Array.prototype.forEach.call(log.querySelectorAll('.quick'), function (el) { el.parentNode.removeChild(el); });
    Array.prototype.forEach.call(log.querySelectorAll('[data-action]'), function (el) { el.disabled = true; });
  }

  function renderAll() {
    while (log.firstChild) log.removeChild(log.firstChild);
    var lastBot = -1;
    state.messages.forEach(function (m, i) { if (m.role === 'bot') lastBot = i; });
    state.messages.forEach(function (m, i) { log.appendChild(renderMessage(m, i === lastBot && i === state.messages.length - 1)); });
  }

  function renderMessage(message, live) {
    if (message.role === 'user') {
      return h('div', { class: 'msg user' }, [h('div', { class: 'bubble' }, [h('span', { class: 'sr-only' }, '我：'), textBlock(message.text)])]);
    }
    if (message.role === 'note') {
      return h('div', { class: 'msg note' }, h('div', { class: 'bubble' }, message.text));
    }
    return renderBot(message.reply || {}, live);
  }

  function actionButton(label, send, shown, className) {
    return h('button', {
      type: 'button', class: 'chip' + (className ? ' ' + className : ''), 'data-action': 'send',
      // detail 0: activated by Enter or Space, so the keyboard user's focus is kept in the panel.
      onclick: function (e) { ask(send, shown, e.detail === 0); },
    }, label);
  }

  function renderBot(reply, live) {
    var card = reply.card && typeof reply.card === 'object' ? reply.card : null;
    var text = typeof reply.text === 'string' ? reply.text : '';
    var covered = {}; // quick replies a card already offers as its own buttons
    var body = [h('span', { class: 'sr-only' }, TITLE + '：')];
    var drawn = card ? renderCard(card, covered) : null;
    if (!drawn) {
      body.push(textBlock(text));
    } else {
      // Option lists repeat in the text ("1. …"); the buttons carry them, the question stays.
      if (card.type === 'options') body.push(textBlock(text.split('\n')[0]));
      else if (card.type === 'rating' || card.type === 'faq') body.push(textBlock(text));
      body.push(drawn);
    }
    var nodes = [h('div', { class: 'msg bot' }, h('div', { class: drawn ? 'bubble has-card' : 'bubble' }, body))];
    var quick = (Array.isArray(reply.quickReplies) ? reply.quickReplies : []).filter(function (q) { return typeof q === 'string' && !covered[q]; });
    if (live && quick.length > 0) {
      nodes.push(h('div', { class: 'quick', role: 'group', 'aria-label': '您可以接着问' }, quick.map(function (q) { return actionButton(q, q); })));
    }
    if (!live) {
      nodes.forEach(function (n) {
        Array.prototype.forEach.call(n.querySelectorAll('[data-action]'), function (el) { el.disabled = true; });
      });
    }
    var wrap = document.createDocumentFragment();
    nodes.forEach(function (n) { wrap.appendChild(n); });
    return wrap;
  }

  function renderCard(card, covered) {
    switch (card.type) {
      case 'matter': return matterCard(card, covered);
      case 'checklist': return Array.isArray(card.items) && card.items.length > 0 ? checklistCard(card) : null;
      case 'sheet': return Array.isArray(card.sections) ? sheetCard(card) : null;
      case 'steps': return Array.isArray(card.steps) && card.steps.length > 0 ? stepsCard(card, covered) : null;
      case 'options': return Array.isArray(card.options) ? optionsCard(card, covered) : null;
      case 'rating': return Array.isArray(card.options) ? ratingCard(card, covered) : null;
      case 'faq': return Array.isArray(card.links) ? faqCard(card) : null;
      default: return null; // a card this version does not know: the text says it all
    }
  }

  function matterCard(card, covered) {
    var facts = Array.isArray(card.facts) ? card.facts : [];
    var hasDept = facts.some(function (f) { return f.label === '办理部门'; });
    var facets = Array.isArray(card.facets) ? card.facets : [];
    facets.forEach(function (f) { covered[f.label] = true; });
    var url = card.url ? safeUrl(card.url) : null;
    return h('div', { class: 'card matter' }, [
      h('h3', null, card.title),
      card.department && !hasDept ? h('p', { class: 'sub' }, card.department) : null,
      facts.length > 0 ? h('dl', { class: 'facts' }, facts.map(function (f) { return [h('dt', null, f.label), h('dd', null, richText(f.value))]; })) : null,
      facets.length > 0 ? h('div', { class: 'actions', role: 'group', 'aria-label': '继续了解' }, facets.map(function (f) { return actionButton(f.label, f.label); })) : null,
      url ? h('p', { class: 'hint' }, link(url, '查看办事指南原文')) : null,
    ]);
  }

  function checklistCard(card) {
    var key = CHECKLIST_PREFIX + card.entryId;
    var ticked = (tickStore && readJson(tickStore, key)) || [];
    var progress = h('p', { class: 'progress', 'aria-live': 'off' });
    var boxes = [];
    function update() {
      var done = boxes.filter(function (b) { return b.checked; }).length;
      progress.textContent = '已准备 ' + done + '/' + boxes.length + ' 项';
    }
    var items = card.items.map(function (item) {
      var box = h('input', { type: 'checkbox', 'data-entry': card.entryId, 'data-item': item.name });
      box.checked = ticked.indexOf(item.name) >= 0;
      box.addEventListener('change', function () {
        var now = ((tickStore && readJson(tickStore, key)) || []).filter(function (n) { return n !== item.name; });
        if (box.checked) now.push(item.name);
        if (tickStore) writeJson(tickStore, key, now.length ? now : null);
        // The same list may be on screen twice (asked again later): keep them in step.
        Array.prototype.forEach.call(log.querySelectorAll('input[type=checkbox]'), function (other) {
          if (other !== box && other.getAttribute('data-entry') === card.entryId && other.getAttribute('data-item') === item.name) {
            other.checked = box.checked;
            other.dispatchEvent(new Event('banshi-sync'));
          }
        });
        update();
      });
      box.addEventListener('banshi-sync', update);
      boxes.push(box);
      return h('li', null, h('label', null, [
        box,
        h('span', { class: 'item' }, [
          h('span', { class: 'item-name' }, item.name),
          h('span', { class: 'badge ' + (item.required ? 'required' : 'optional') }, item.required ? '必需' : '按需'),
          item.detail ? h('span', { class: 'item-detail' }, item.detail) : null,
        ]),
      ]));
    });
    update();
    return h('div', { class: 'card checklist' }, [
      h('h3', null, '「' + card.title + '」需要准备的材料'),
      progress,
      h('ul', { 'aria-label': '材料清单，可勾选已准备的材料' }, items),
      h('p', { class: 'hint' }, '勾选记录只保存在本机浏览器中，方便您逐项准备。'),
    ]);
  }

  function sheetCard(card) {
    var url = card.url ? safeUrl(card.url) : null;
    return h('div', { class: 'card sheet' }, [
      h('h3', null, '「' + card.title + '」一次性告知单'),
      card.sections.map(function (section, i) {
        var lines = Array.isArray(section.lines) ? section.lines : [];
        return h('details', { open: i < 3 }, [
          h('summary', null, section.label),
          h('ul', null, lines.map(function (line) { return h('li', null, richText(line)); })),
        ]);
      }),
      url ? h('p', { class: 'hint' }, ['网上办理：', link(url, url)]) : null,
    ]);
  }

  function stepsCard(card, covered) {
    var total = card.total || card.steps.length;
    var index = Math.max(0, Math.min(total - 1, card.index || 0));
    ['上一步', '下一步', '结束'].forEach(function (q) { covered[q] = true; });
    return h('div', { class: 'card steps' }, [
      h('h3', null, card.title),
      h('p', { class: 'sub' }, '第 ' + (index + 1) + ' 步，共 ' + total + ' 步'),
      progressBar((index + 1) / total),
      h('ol', null, card.steps.map(function (step, i) {
        var current = i === index;
        return h('li', { class: i < index ? 'done' : null, 'aria-current': current ? 'step' : null }, [
          h('span', { class: 'step-title' }, step.title),
          current && step.description ? h('span', { class: 'step-desc' }, richText(step.description)) : null,
          current && step.actor ? h('span', { class: 'step-actor' }, '办理人：' + step.actor) : null,
        ]);
      })),
      h('div', { class: 'actions', role: 'group', 'aria-label': '步骤导航' }, [
        index > 0 ? actionButton('上一步', '上一步') : null,
        index + 1 < total ? actionButton('下一步', '下一步', null, 'primary') : null,
        actionButton(index + 1 < total ? '结束' : '完成', '结束'),
      ]),
    ]);
  }

  function progressBar(fraction) {
    var fill = h('span');
    fill.style.width = Math.round(fraction * 100) + '%';
    return h('div', { class: 'bar', 'aria-hidden': 'true' }, fill);
  }

  function optionsCard(card, covered) {
    return h('div', { class: 'card options actions', role: 'group', 'aria-label': '请选择一项' }, card.options.map(function (o) {
      covered[o.label] = true;
      var button = actionButton([h('span', { class: 'n', 'aria-hidden': 'true' }, String(o.n)), h('span', null, o.label)],
        String(o.n), o.n + '. ' + o.label, 'option');
      button.setAttribute('aria-label', '第' + o.n + '项：' + o.label);
      return button;
    }));
  }

  function ratingCard(card, covered) {
    return h('div', { class: 'card rating actions', role: 'group', 'aria-label': '服务评价' }, card.options.map(function (o) {
      covered[o] = true;
      return actionButton(o, o);
    }));
  }

  function faqCard(card) {
    return h('div', { class: 'card faq' }, [
      card.title ? h('h3', null, card.title) : null,
      h('ul', null, card.links.map(function (l) {
        var href = safeUrl(l.url);
        return h('li', null, href ? link(href, l.text || href) : (l.text || ''));
      })),
    ]);
  }

  // ---------- sending ----------

  var typing = h('div', { class: 'msg bot typing' }, h('div', { class: 'bubble' }, [
    h('span', { class: 'sr-only' }, TITLE + '正在输入…'),
    h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'dot', 'aria-hidden': 'true' }),
  ]));

  function setPending(on) {
    pending = on;
    sendButton.disabled = on;
    log.setAttribute('aria-busy', on ? 'true' : 'false');
    if (on) { log.appendChild(typing); scrollToEnd(); } else if (typing.parentNode) typing.parentNode.removeChild(typing);
  }

  function submitInput() {
    var text = input.value.trim();
    if (!text || pending) return;
    input.value = '';
    autoGrow();
    ask(text);
  }

  /** Sends `text`; the citizen's bubble shows `shown` (an option's name rather than its number). */
  function ask(text, shown, fromKeyboard) {
    text = String(text || '').trim();
    if (!text || pending) return;
    open(false);
    addMessage({ role: 'user', text: shown || text });
    // The pressed button has just been retired: without this, focus would fall back to the page.
    if (fromKeyboard) input.focus();
    setPending(true);
    var mine = generation;
    transport.send(text).then(function (reply) {
      if (mine !== generation) return;
      setPending(false);
      addMessage({ role: 'bot', reply: reply });
    }, function (error) {
      if (mine !== generation) return;
      setPending(false);
      addMessage({ role: 'note', text: error && error.userMessage ? error.userMessage : '网络连接异常，消息未能发送，请稍后重试；也可拨打 12345 政务服务便民热线。' });
    });
  }

  function failure(message) {
    var error = new Error(message);
    error.userMessage = message;
    return error;
  }

  // ---------- transport: WebSocket with reconnect, POST /api/chat as the fallback ----------

  var transport = (function () {
    var wsBase = SERVER.replace(/^http/, 'ws') + '/ws';
    var socket = null;
    var socketSession = null; // the session the open socket speaks for
    var ready = false; // welcome received on the current socket
    var started = false;
    var attempts = 0;
    var timer = null;
    var waiting = null; // { resolve, reject, text, timer } for the message in flight over the socket
    var connectWaiters = [];

    function supported() {
      return typeof window.WebSocket === 'function';
    }

    function setStatus(text) {
      status.textContent = text || '';
      status.hidden = !text;
    }

    function settleConnectWaiters(ok) {
      var list = connectWaiters;
      connectWaiters = [];
      list.forEach(function (w) { clearTimeout(w.timer); w.resolve(ok); });
    }

    function connect() {
      timer = null;
      if (!supported() || socket) return;
      var url = wsBase + (state.session ? '?session=' + encodeURIComponent(state.session) : '');
      var ws;
      try {
        ws = new window.WebSocket(url);
      } catch (e) {
        onSocketGone(null);
        return;
      }
      socket = ws;
      ready = false;
      socketSession = state.session;
      ws.onmessage = function (event) { onFrame(ws, event.data); };
      ws.onclose = function () { onSocketGone(ws); };
      ws.onerror = function () { /* onclose follows and handles it */ };
    }

    function onFrame(ws, data) {
      var frame;
      try { frame = JSON.parse(data); } catch (e) { return; }
      if (!frame || typeof frame !== 'object') return;
      if (frame.type === 'welcome') {
        attempts = 0;
        setStatus('');
        var askedFor = socketSession;
        if (state.session && askedFor === null && frame.session !== state.session) {
          // A POST made a session while this socket was connecting: speak for that one.
          ws.close();
          return;
        }
        if (askedFor && frame.session !== askedFor && state.messages.length > 0) {
          addMessage({ role: 'note', text: '之前的会话已过期，已为您开始新的会话。', keep: true });
        }
        state.session = frame.session;
        socketSession = frame.session;
        persist();
        ready = true;
        showWelcome(frame.reply);
        settleConnectWaiters(true);
        return;
      }
      if (frame.type === 'reply' || frame.type === 'error') {
        if (!waiting) return;
        var w = waiting;
        waiting = null;
        clearTimeout(w.timer);
        if (frame.type === 'reply') {
          if (frame.session && frame.session !== state.session) { state.session = frame.session; persist(); }
          w.resolve(frame.reply);
        } else {
          w.reject(failure('抱歉，系统暂时无法处理您的消息，请稍后重试。'));
        }
      }
    }

    function onSocketGone(ws) {
      if (ws && ws !== socket) return; // an older socket we already replaced
      var wasReady = ready;
      socket = null;
      ready = false;
      settleConnectWaiters(false);
      if (waiting) {
        // The answer may never come on this socket: ask again over HTTP.
        var w = waiting;
        waiting = null;
        clearTimeout(w.timer);
        post(w.text).then(w.resolve, w.reject);
      }
      if (!started) return;
      if (!wasReady && state.messages.length === 0) showWelcomeOverHttp();
      if (attempts >= 2) setStatus('实时连接不可用，已切换为普通模式，仍可正常咨询。');
      schedule();
    }

    function schedule() {
      if (timer || !supported()) return;
      // Exponential backoff with jitter so a restarted server is not hit by every page at once.
      var delay = Math.min(30000, 1000 * Math.pow(2, attempts)) * (0.8 + Math.random() * 0.4);
      attempts++;
      timer = setTimeout(connect, delay);
    }

    function whenConnected(ms) {
      if (socket && ready) return Promise.resolve(true);
      if (!socket) return Promise.resolve(false);
      return new Promise(function (resolve) {
        var w = { resolve: resolve, timer: setTimeout(function () {
          connectWaiters = connectWaiters.filter(function (x) { return x !== w; });
          resolve(false);
        }, ms) };
        connectWaiters.push(w);
      });
    }

    function showWelcome(reply) {
      if (state.messages.length === 0 && reply) addMessage({ role: 'bot', reply: reply });
    }

    var welcomeRequested = false;
    function showWelcomeOverHttp() {
      if (welcomeRequested) return;
      welcomeRequested = true;
      fetch(SERVER + '/api/chat/welcome', { method: 'GET', credentials: 'omit' })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (body) { if (body && body.reply && !pending) showWelcome(body.reply); })
        .catch(function () { welcomeRequested = false; });
    }

    function post(text) {
      var body = { text: text };
      if (state.session) body.session = state.session;
      return fetch(SERVER + '/api/chat', {
        method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      }).then(function (res) {
        if (res.status === 429) throw failure('您发送得太快了，请稍等片刻再试。');
        if (!res.ok) throw failure('抱歉，系统暂时无法处理您的消息，请稍后重试。');
        return res.json();
      }).then(function (data) {
        if (data.session && data.session !== state.session) {
          state.session = data.session;
          persist();
          // An open socket speaking for another session would split the conversation.
          if (socket && ready && socketSession !== data.session) socket.close();
        }
        return data.reply;
      });
    }

    function overSocket(text) {
      return new Promise(function (resolve, reject) {
        waiting = {
          resolve: resolve, reject: reject, text: text,
          timer: setTimeout(function () {
            waiting = null;
            reject(failure('回复超时，请稍后重试；也可拨打 12345 政务服务便民热线。'));
          }, REPLY_TIMEOUT_MS),
        };
        socket.send(JSON.stringify({ type: 'message', text: text }));
      });
    }

    window.addEventListener('online', function () {
      if (started && !socket) { clearTimeout(timer); timer = null; attempts = 0; connect(); }
    });

    return {
      start: function () {
        if (started) return;
        started = true;
        if (supported()) connect();
        else if (state.messages.length === 0) showWelcomeOverHttp();
      },
      send: function (text) {
        // After repeated failures, do not make the citizen wait for yet another attempt.
        return whenConnected(attempts >= 2 ? 0 : CONNECT_WAIT_MS).then(function (ok) {
          return ok && socket && socket.readyState === 1 ? overSocket(text) : post(text);
        });
      },
      reset: function () {
        welcomeRequested = false;
        if (waiting) { clearTimeout(waiting.timer); waiting = null; }
        if (socket) {
          // Forget the old socket quietly; the new one has no session and brings a fresh welcome.
          var old = socket;
          socket = null;
          ready = false;
          old.onclose = null;
          old.onmessage = null;
          old.close();
        }
        clearTimeout(timer);
        timer = null;
        attempts = 0;
        if (supported()) connect();
        else showWelcomeOverHttp();
      },
    };
  })();

  // ---------- start ----------

  function mount() {
    document.body.appendChild(host);
    renderAll();
    if (state.open) open(false);
    // Portal pages can offer questions without any script of their own: <a data-banshi-ask="…">.
    document.addEventListener('click', function (e) {
      var target = e.target && e.target.closest ? e.target.closest('[data-banshi-ask]') : null;
      if (!target) return;
      e.preventDefault();
      open(false);
      ask(target.getAttribute('data-banshi-ask'));
    });
    if (ASK_PARAM) {
      var params = new URLSearchParams(location.search);
      var question = params.get(ASK_PARAM);
      if (question && question.trim()) {
        // Asked once: a reload must not ask it again.
        params.delete(ASK_PARAM);
        var rest = params.toString();
        try { history.replaceState(history.state, '', location.pathname + (rest ? '?' + rest : '') + location.hash); } catch (e) { /* sandboxed */ }
        open(true);
        ask(question.trim().slice(0, 1000));
      }
    }
  }

  window.BanshiWidget = {
    open: function () { open(true); },
    close: close,
    ask: function (text) { ask(text); },
  };

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
