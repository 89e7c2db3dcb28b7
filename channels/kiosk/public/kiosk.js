// The kiosk app: browse by life event or department, ask with the phrase keys,
// read answers on screen or aloud, print or scan the one-time notification sheet.
// A shared screen forgets everything after a spell without touches. No pop-ups:
// every message, including the idle warning, is shown in the page itself.
import { icon } from './icons.js';
import { PhraseGroups } from './phrases.js';

const $ = (id) => document.getElementById(id);

/** Builds an element: `props` may hold class, text, attrs and on (event handlers). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const [type, handler] of Object.entries(props.on ?? {})) node.addEventListener(type, handler);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A large button with an icon and words; `onPress` runs on a tap. */
function button(label, onPress, { iconName, kind = '' } = {}) {
  const b = el('button', { class: kind, attrs: { type: 'button' }, on: { click: onPress } });
  if (iconName) b.append(icon(iconName));
  b.append(el('span', { text: label }));
  return b;
}

function idleSetting() {
  const asked = new URLSearchParams(location.search).get('idle');
  const configured = Number(document.querySelector('meta[name="kiosk-idle"]')?.getAttribute('content'));
  for (const value of [Number(asked), configured]) if (Number.isFinite(value) && value >= 1) return value;
  return 90;
}

const IdleSeconds = idleSetting();
const WarnSeconds = 10;

const state = {
  session: null,
  catalog: null,
  tab: 'events',
  screen: 'start',
  history: [],
  keyGroup: 0,
  /** Bumped on every reset, so a reply still on its way cannot land in the next visitor's screen. */
  generation: 0,
  busy: false,
  autoRead: false,
  elderly: true,
  /** The inserted phrases, so 删除 removes a whole phrase as it was tapped in. */
  chunks: [],
  deadline: null,
};

// ---- Speech -----------------------------------------------------------------

const speech = 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function' ? window.speechSynthesis : null;
let speakingButton = null;

function chineseVoice() {
  const voices = speech.getVoices();
  return voices.find((v) => /^zh[-_]cn/i.test(v.lang)) ?? voices.find((v) => /^(zh|cmn)/i.test(v.lang)) ?? null;
}

/** Text as it should sound: addresses on the web are shown, not spelled out. */
function spoken(text) {
  return text.replace(/https?:\/\/\S+/g, '（网址请看屏幕）').replace(/[「」【】]/g, ' ');
}

function setSpeakingButton(b) {
  if (speakingButton) speakingButton.replaceChildren(icon('speaker'), el('span', { text: '朗读' }));
  speakingButton = b;
  if (b) b.replaceChildren(icon('stop'), el('span', { text: '停止朗读' }));
}

function stopSpeaking() {
  if (!speech) return;
  speech.cancel();
  setSpeakingButton(null);
}

function speak(text, from = null) {
  if (!speech) return;
  stopSpeaking();
  const utterance = new SpeechSynthesisUtterance(spoken(text));
  utterance.lang = 'zh-CN';
  const voice = chineseVoice();
  if (voice) utterance.voice = voice;
  utterance.rate = state.elderly ? 0.85 : 1;
  const done = () => { if (speakingButton === from) setSpeakingButton(null); };
  utterance.addEventListener('end', done);
  utterance.addEventListener('error', done);
  setSpeakingButton(from);
  speech.speak(utterance);
}

function readButton(text) {
  if (!speech) return null;
  const b = button('朗读', () => {
    if (speakingButton === b) stopSpeaking();
    else speak(text, b);
  }, { iconName: 'speaker', kind: 'read' });
  return b;
}

// ---- Screens ----------------------------------------------------------------

const screens = ['start', 'list', 'chat', 'ask'];

function show(screen, { remember = true } = {}) {
  if (remember && state.screen !== screen) state.history.push(state.screen);
  state.screen = screen;
  for (const name of screens) $(`screen-${name}`).hidden = name !== screen;
  updateNav();
  if (screen !== 'chat') $('main').scrollTop = 0;
  // Screen readers announce the new screen; the visual focus ring stays off.
  $(`${screen === 'chat' ? 'chat' : screen}-title`).focus({ preventScroll: true });
}

function back() {
  const previous = state.history.pop();
  if (previous) show(previous, { remember: false });
}

function updateNav() {
  $('nav-back').hidden = state.history.length === 0;
  $('nav-chat').hidden = state.screen === 'chat' || $('log').childElementCount === 0;
  $('nav-ask').hidden = state.screen === 'ask';
  $('nav-finish').hidden = state.deadline === null;
}

function setToggle(b, on) {
  b.setAttribute('aria-pressed', String(on));
  const label = b.dataset.label;
  // The state is said in words and with a tick or a cross, not by colour.
  b.replaceChildren(icon(b.dataset.icon), el('span', { text: `${label}：` }), el('strong', { class: 'toggle-state' }, icon(on ? 'check' : 'cross'), el('span', { text: on ? '开' : '关' })));
}

function setElderly(on) {
  state.elderly = on;
  document.documentElement.classList.toggle('elderly', on);
  setToggle($('toggle-elderly'), on);
}

function setAutoRead(on) {
  state.autoRead = on;
  setToggle($('toggle-read'), on);
  if (!on) stopSpeaking();
}

// ---- Catalogue --------------------------------------------------------------

async function loadCatalog() {
  const status = $('catalog-status');
  try {
    const response = await fetch('/api/kiosk/catalog');
    if (!response.ok) throw new Error(`catalog ${response.status}`);
    state.catalog = await response.json();
    status.hidden = true;
    renderTiles();
  } catch {
    status.hidden = false;
    status.replaceChildren(
      el('p', {}, icon('warning'), el('span', { text: '事项目录暂时没有加载出来。您可以点“我要提问”直接问，或者再试一次。' })),
      button('再试一次', () => { void loadCatalog(); }, { iconName: 'back' }),
    );
  }
}

function selectTab(tab) {
  state.tab = tab;
  for (const [id, name] of [['tab-events', 'events'], ['tab-departments', 'departments']]) {
    const selected = name === tab;
    const b = $(id);
    b.setAttribute('aria-selected', String(selected));
    b.replaceChildren(...(selected ? [icon('check')] : []), el('span', { text: b.dataset.label }));
  }
  renderTiles();
}

function renderTiles() {
  const groups = state.tab === 'events' ? state.catalog?.lifeEvents : state.catalog?.departments;
  if (!groups) return;
  $('tiles').replaceChildren(...groups.map((group) => {
    const tile = el('button', { class: 'tile', attrs: { type: 'button', 'data-group': group.name }, on: { click: () => openGroup(group) } });
    tile.append(icon(state.tab === 'events' ? group.name : 'building'), el('span', { class: 'tile-name', text: group.name }),
      el('span', { class: 'tile-count', text: `${group.matters.length} 项` }));
    return tile;
  }));
}

function openGroup(group) {
  const byEvent = state.tab === 'events';
  $('list-title').textContent = byEvent ? `人生大事：${group.name}` : group.name;
  $('list-lead').textContent = `共 ${group.matters.length} 个事项，点一下查看怎么办。`;
  $('list').replaceChildren(...group.matters.map((m) => {
    const b = el('button', { class: 'matter', attrs: { type: 'button', 'data-entry': m.id }, on: { click: () => { void ask(m.title); } } });
    b.append(el('span', { class: 'matter-title', text: m.title }));
    if (byEvent && m.department) b.append(el('span', { class: 'matter-dept', text: `办理部门：${m.department}` }));
    return b;
  }));
  show('list');
}

// ---- Conversation -----------------------------------------------------------

function lines(text) {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => el('p', { text: l }));
}

/** A plain-text answer; its first line names the matter (「…」办理地点：) and reads as its title. */
function textAnswer(text) {
  const [first, ...rest] = text.split('\n');
  return first.startsWith('「') ? [el('h2', { text: first.replace(/[：:]$/, '') }), ...lines(rest.join('\n'))] : lines(text);
}

function matterCard(card, used) {
  const facts = el('dl', { class: 'facts' });
  for (const f of card.facts) facts.append(el('div', {}, el('dt', { text: f.label }), el('dd', { text: f.value })));
  const more = el('div', { class: 'actions' });
  more.append(button('一次性告知', () => { void ask('一次性告知'); }, { iconName: 'list', kind: 'primary' }));
  used.add('一次性告知');
  for (const f of card.facets) {
    used.add(f.label);
    more.append(button(f.label, () => { void ask(f.label); }));
  }
  return [
    el('h2', { text: card.title }),
    facts,
    card.url ? el('p', { class: 'url', text: `网址：${card.url}` }) : null,
    el('p', { class: 'prompt', text: '您还想了解：' }),
    more,
  ];
}

function checklistCard(card) {
  const list = el('ol', { class: 'checklist' });
  for (const item of card.items) {
    list.append(el('li', {},
      el('span', { class: item.required ? 'badge required' : 'badge optional' }, icon(item.required ? 'required' : 'optional'), el('span', { text: item.required ? '必须' : '按需' })),
      el('span', { class: 'item-name', text: item.name }),
      item.detail ? el('span', { class: 'item-detail', text: item.detail }) : null));
  }
  return [el('h2', { text: `「${card.title}」需要准备的材料` }),
    card.items.length > 0 ? list : el('p', { text: '办事指南未列出需要提交的材料，建议出发前电话确认。' })];
}

function sheetPath(entryId) {
  return `/kiosk/sheet/${encodeURIComponent(entryId)}`;
}

/** Location lines indent their window and hours; numbered lines need no bullet. */
function lineClass(line) {
  if (/^\s/.test(line)) return 'sub';
  return /^\d+\.\s/.test(line) ? 'numbered' : '';
}

/** The sheet's contents, shared by the answer on screen and the printed page. */
function sheetBody(card) {
  return [
    el('p', { class: 'kicker', text: '一次性告知单' }),
    el('h2', { text: card.title }),
    ...card.sections.map((s) => el('section', { class: 'sheet-section' },
      el('h3', { text: s.label }),
      el('ul', {}, ...s.lines.map((l) => el('li', { class: lineClass(l), text: l.trim() }))))),
  ];
}

function qrImage(card) {
  return el('img', { class: 'qr', attrs: { src: `${sheetPath(card.entryId)}/qr.svg`, alt: `「${card.title}」告知单二维码`, width: '240', height: '240' } });
}

function printSheet(card) {
  const today = new Date().toLocaleDateString('zh-CN', { year: 'numeric', month: 'long', day: 'numeric' });
  $('print-area').replaceChildren(el('article', { class: 'print-sheet' },
    ...sheetBody(card),
    el('div', { class: 'print-carry' }, qrImage(card),
      el('p', { text: '用手机扫描二维码，可随时查看这份告知单。' })),
    el('p', { class: 'print-foot', text: `打印日期：${today}。以上信息来自办事指南，如有变动以办理窗口为准。政务服务便民热线：12345` })));
  window.print();
}

function sheetCard(card) {
  const [kicker, title, ...sections] = sheetBody(card);
  // Carrying it away comes first: the sheet is long, the QR code and 打印 must not be below the fold.
  return [
    kicker,
    title,
    el('div', { class: 'carry' },
      qrImage(card),
      el('div', { class: 'carry-text' },
        el('p', { class: 'carry-title' }, icon('qr'), el('span', { text: '用手机扫一扫，把告知单带走' })),
        el('p', { text: '扫码后在手机上打开同一份告知单，无需登录，也不用下载软件。' }),
        button('打印告知单', () => printSheet(card), { iconName: 'print', kind: 'primary print' }))),
    el('div', { class: 'sheet' }, ...sections),
  ];
}

function stepsCard(card) {
  const step = card.steps[card.index];
  return [
    el('p', { class: 'kicker', text: `「${card.title}」第 ${card.index + 1} 步，共 ${card.total} 步` }),
    el('h2', { text: step.title }),
    step.description ? el('p', { text: step.description }) : null,
    step.actor ? el('p', { class: 'muted', text: `办理人：${step.actor}` }) : null,
  ];
}

function optionsCard(reply, card, used) {
  const first = reply.text.split('\n')[0];
  const choices = el('div', { class: 'choices' });
  for (const o of card.options) {
    used.add(o.label);
    choices.append(button(`${o.n}. ${o.label}`, () => { void ask(o.label); }, { kind: 'choice' }));
  }
  return [el('p', { class: 'prompt', text: first }), choices];
}

function faqCard(reply, card) {
  const links = card.links.length > 0
    ? el('ul', { class: 'links' }, ...card.links.map((l) => el('li', { text: `${l.text}：${l.url}` })))
    : null;
  return [el('h2', { text: card.title }), ...lines(reply.text), links];
}

/** The body of one reply, and the button labels it already offers. */
function replyBody(reply) {
  const used = new Set();
  const card = reply.card;
  let body;
  switch (card?.type) {
    case 'matter': body = matterCard(card, used); break;
    case 'checklist': body = checklistCard(card); break;
    case 'sheet': body = sheetCard(card); break;
    case 'steps': body = stepsCard(card); break;
    case 'options': body = optionsCard(reply, card, used); break;
    case 'rating': body = lines(reply.text); break;
    case 'faq': body = faqCard(reply, card); break;
    default: body = textAnswer(reply.text);
  }
  return { body, used };
}

function renderReply(reply) {
  const { body, used } = replyBody(reply);
  const box = el('article', { class: `msg bot kind-${reply.kind}`, attrs: { 'data-kind': reply.kind, 'data-card': reply.card?.type ?? 'text' } });
  box.append(el('p', { class: 'who' }, icon('assistant'), el('span', { text: '办事助手' })));
  box.append(el('div', { class: `body card-${reply.card?.type ?? 'text'}` }, ...body));
  const quick = reply.quickReplies.filter((q) => !used.has(q));
  if (reply.kind === 'clarify' && !reply.card) {
    for (const c of reply.candidates) if (!quick.includes(c.title)) quick.push(c.title);
  }
  if (quick.length > 0) {
    box.append(el('div', { class: 'actions quick' }, ...quick.map((q) => button(q, () => { void ask(q); }))));
  }
  const read = readButton(reply.text);
  if (read) box.append(el('div', { class: 'msg-tools' }, read));
  return { box, read };
}

function renderQuestion(text) {
  return el('article', { class: 'msg user' },
    el('p', { class: 'who' }, icon('person'), el('span', { text: '您问' })),
    el('div', { class: 'body' }, el('p', { text })));
}

function waiting() {
  return el('article', { class: 'msg bot waiting', attrs: { 'aria-busy': 'true' } },
    el('p', {}, icon('clock'), el('span', { text: '正在查询，请稍候……' })));
}

async function ask(text) {
  const question = text.trim();
  if (!question || state.busy) return;
  state.busy = true;
  const generation = state.generation;
  const log = $('log');
  const asked = renderQuestion(question);
  const pending = waiting();
  log.append(asked, pending);
  show('chat');
  asked.scrollIntoView({ block: 'start' });
  try {
    const response = await fetch('/api/kiosk/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(state.session ? { session: state.session, text: question } : { text: question }),
    });
    if (!response.ok) throw new Error(`chat ${response.status}`);
    const data = await response.json();
    if (generation !== state.generation) return;
    state.session = data.session;
    const { box, read } = renderReply(data.reply);
    pending.replaceWith(box);
    box.scrollIntoView({ block: 'start' });
    if (state.autoRead) speak(data.reply.text, read);
  } catch {
    if (generation !== state.generation) return;
    pending.replaceWith(el('article', { class: 'msg bot kind-error' },
      el('p', { class: 'who' }, icon('warning'), el('span', { text: '没有查到' })),
      el('div', { class: 'body' }, el('p', { text: '网络开小差了，这次没有查到。请再试一次，或到咨询窗口找工作人员。' })),
      el('div', { class: 'actions' }, button('再试一次', () => { void ask(question); }, { iconName: 'back', kind: 'primary' }))));
  } finally {
    if (generation === state.generation) state.busy = false;
    updateNav();
  }
}

// ---- Phrase keyboard --------------------------------------------------------

function composer() {
  return $('ask-text');
}

function insertPhrase(phrase) {
  const input = composer();
  input.value += phrase;
  state.chunks.push(phrase);
}

function deleteLast() {
  const input = composer();
  const last = state.chunks.at(-1);
  if (last && input.value.endsWith(last)) {
    input.value = input.value.slice(0, -last.length);
    state.chunks.pop();
  } else {
    input.value = [...input.value].slice(0, -1).join('');
    state.chunks = [];
  }
}

function clearComposer() {
  composer().value = '';
  state.chunks = [];
}

function renderKeyTabs() {
  $('key-tabs').replaceChildren(...PhraseGroups.map((group, i) => {
    const selected = i === state.keyGroup;
    const b = el('button', { class: 'tab', attrs: { type: 'button', role: 'tab', 'aria-selected': String(selected) }, on: { click: () => { state.keyGroup = i; renderKeyTabs(); } } });
    b.append(icon(selected ? 'check' : group.icon), el('span', { text: group.name }));
    return b;
  }));
  const group = PhraseGroups[state.keyGroup];
  $('keys').className = group.digits ? 'keys digits' : 'keys';
  $('keys').replaceChildren(...group.phrases.map((p) => el('button', { class: 'key', text: p, attrs: { type: 'button' }, on: { click: () => insertPhrase(p) } })));
}

function openAsk() {
  show('ask');
}

function sendComposed() {
  const text = composer().value.trim();
  if (!text) {
    composer().setAttribute('placeholder', '请先点词语组成问题，再点“发送”');
    return;
  }
  clearComposer();
  void ask(text);
}

// ---- Idle reset -------------------------------------------------------------

function touched() {
  state.deadline = Date.now() + IdleSeconds * 1000;
  $('idle-banner').hidden = true;
  updateNav();
}

function tick() {
  if (state.deadline === null) return;
  // Someone listening to an answer read aloud is still using the kiosk.
  if (speech?.speaking) state.deadline = Math.max(state.deadline, Date.now() + WarnSeconds * 1000 + 1000);
  const left = Math.ceil((state.deadline - Date.now()) / 1000);
  if (left <= 0) {
    resetAll();
    return;
  }
  const banner = $('idle-banner');
  if (left <= WarnSeconds) {
    $('idle-seconds').textContent = String(left);
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

/** Clears the screen and the server's memory of the conversation, for the next visitor. */
function resetAll() {
  const session = state.session;
  state.generation++;
  Object.assign(state, { session: null, busy: false, deadline: null, history: [], chunks: [], keyGroup: 0 });
  stopSpeaking();
  $('idle-banner').hidden = true;
  $('log').replaceChildren();
  $('list').replaceChildren();
  $('print-area').replaceChildren();
  clearComposer();
  composer().setAttribute('placeholder', '例如：身份证 丢了 怎么办理');
  setElderly(true);
  setAutoRead(false);
  renderKeyTabs();
  selectTab('events');
  show('start', { remember: false });
  if (session) {
    void fetch('/api/kiosk/reset', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session }), keepalive: true,
    }).catch(() => { /* the server forgets idle sessions anyway; the screen is already clear */ });
  }
}

// ---- Start ------------------------------------------------------------------

function decorate() {
  for (const node of document.querySelectorAll('[data-icon]')) {
    node.dataset.label = node.textContent.trim();
    if (node.classList.contains('toggle')) continue;
    node.replaceChildren(icon(node.dataset.icon), ...(node.textContent.trim() ? [el('span', { text: node.dataset.label })] : []));
  }
  for (const id of ['tab-events', 'tab-departments']) $(id).dataset.label = $(id).textContent.trim();
}

function start() {
  decorate();
  if (!speech) document.documentElement.classList.add('no-speech');
  setElderly(true);
  setAutoRead(false);
  selectTab('events');
  renderKeyTabs();
  $('toggle-elderly').addEventListener('click', () => setElderly(!state.elderly));
  $('toggle-read').addEventListener('click', () => setAutoRead(!state.autoRead));
  $('go-home').addEventListener('click', () => show('start'));
  $('tab-events').addEventListener('click', () => selectTab('events'));
  $('tab-departments').addEventListener('click', () => selectTab('departments'));
  $('open-ask').addEventListener('click', openAsk);
  $('nav-ask').addEventListener('click', openAsk);
  $('nav-back').addEventListener('click', back);
  $('nav-chat').addEventListener('click', () => show('chat'));
  $('nav-finish').addEventListener('click', resetAll);
  $('idle-stay').addEventListener('click', touched);
  $('ask-send').addEventListener('click', sendComposed);
  $('ask-back').addEventListener('click', deleteLast);
  $('ask-clear').addEventListener('click', clearComposer);
  composer().addEventListener('keydown', (event) => { if (event.key === 'Enter') sendComposed(); });
  composer().addEventListener('input', () => { state.chunks = []; });
  // Any tap, key or scroll counts as someone at the screen. On release, not on
  // press: hiding the countdown banner moves the page, and a press that moved the
  // page under the finger would release on a different button.
  for (const type of ['pointerup', 'keydown', 'wheel']) document.addEventListener(type, touched, { capture: true, passive: true });
  $('main').addEventListener('scroll', () => { if (state.deadline !== null) touched(); }, { passive: true });
  setInterval(tick, 250);
  show('start', { remember: false });
  void loadCatalog();
}

start();
