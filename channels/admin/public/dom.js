// Small DOM helpers shared by every screen. Text always goes in as text, never
// as markup: entries and citizens' questions are data, whatever they contain.

let uid = 0;
/** A fresh id for label/aria wiring. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * Builds an element. `props`: class, text, attrs, on (event handlers), and any
 * other key set as a property (value, checked, disabled, hidden, type …).
 */
export function el(tag, props = {}, ...children) {
  const node = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = value;
    else if (key === 'attrs') for (const [name, v] of Object.entries(value)) { if (v !== undefined && v !== null && v !== false) node.setAttribute(name, v === true ? '' : String(v)); }
    else if (key === 'on') for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export function button(label, onClick, { kind = '', attrs = {}, type = 'button' } = {}) {
  return el('button', { type, class: kind || undefined, attrs, on: { click: onClick } }, label);
}

/** An inline message region: errors as alerts, the rest as polite status. */
export function notice(kind, ...children) {
  return el('div', { class: `notice ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, ...children);
}

export function setNotice(region, kind, ...children) {
  clear(region);
  if (children.length === 0) { region.hidden = true; return; }
  region.hidden = false;
  region.append(notice(kind, ...children));
}

export function badge(text, kind = '') {
  return el('span', { class: `badge ${kind}`.trim(), text });
}

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function percent(x, digits = 1) {
  return `${(Number(x) * 100).toFixed(digits)}%`;
}

export function num(x, digits = 3) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—';
}

/** A table with a caption (for screen readers) and header cells with scope. */
export function table(caption, headers, rows, { captionVisible = false, className = 'grid' } = {}) {
  return el('table', { class: className },
    el('caption', { class: captionVisible ? undefined : 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
    el('tbody', {}, rows));
}

export function td(...children) {
  return el('td', {}, ...children);
}

/** Waits for the user in the page's one <dialog>; resolves true on confirm. Never window.confirm(). */
export function confirmDialog(text, { ok = '确定', danger = true } = {}) {
  const dialog = document.getElementById('confirm');
  const okButton = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  document.getElementById('confirm-text').textContent = text;
  okButton.textContent = ok;
  okButton.className = danger ? 'danger' : 'primary';
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const done = (value) => {
      okButton.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener instanceof HTMLElement) opener.focus();
      resolve(value);
    };
    const onOk = () => done(true);
    const onCancel = (event) => { event?.preventDefault?.(); done(false); };
    okButton.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    cancel.focus();
  });
}

/** Reads a chosen file as bytes, with its name. */
export async function readFileInput(input) {
  const file = input.files?.[0];
  if (!file) return null;
  return { name: file.name, type: file.type, bytes: await file.arrayBuffer() };
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
