// Form controls for the entry editors. Every control sits in a box marked with
// the JSON pointer of its value (data-field="/materials/2/name"), the same path
// the API's `problems` use, so each problem is shown next to its own field.
import { api } from './api.js';
import { clear, debounce, el, nextId } from './dom.js';
import { fieldName, problemText } from './labels.js';

function problemSlot() {
  return el('p', { class: 'problem', hidden: true, id: nextId('problem') });
}

function describedBy(control, ...ids) {
  const list = ids.filter(Boolean).join(' ');
  if (list) control.setAttribute('aria-describedby', list);
}

/** A labelled single control. `read` gives the value as the entry holds it. */
export function textField(label, pointer, value, { multiline = false, rows = 3, hint, required = false, type = 'text', placeholder, optional = false } = {}) {
  const id = nextId('field');
  const control = multiline
    ? el('textarea', { id, rows, value: value ?? '' })
    : el('input', { id, type, value: value ?? '' });
  if (placeholder) control.placeholder = placeholder;
  if (required) control.setAttribute('aria-required', 'true');
  const hintNode = hint ? el('p', { class: 'hint', id: nextId('hint'), text: hint }) : null;
  const problem = problemSlot();
  describedBy(control, hintNode?.id, problem.id);
  const node = el('div', { class: `field${multiline ? ' wide' : ''}`, dataset: { field: pointer } },
    // The asterisk stays outside the label, so the field's accessible name is the label alone (aria-required says the rest).
    el('div', { class: 'label-line' }, el('label', { attrs: { for: id }, text: label }), required ? el('span', { class: 'req', attrs: { 'aria-hidden': 'true' }, text: '*' }) : null),
    hintNode, control, problem);
  return {
    node, control,
    /** Optional text fields are left out when blank (undefined); the rest are '' when blank. */
    read: () => {
      const v = control.value.trim();
      return optional && !v ? undefined : v;
    },
    set: (v) => { control.value = v ?? ''; },
  };
}

/** A number that may be unknown: blank reads as null. */
export function numberField(label, pointer, value, { integer = false, min = 0, hint, nullable = true } = {}) {
  const id = nextId('field');
  const control = el('input', { id, type: 'number', value: value === null || value === undefined ? '' : String(value), attrs: { min, step: integer ? 1 : 'any', inputmode: integer ? 'numeric' : 'decimal' } });
  const hintNode = hint ? el('p', { class: 'hint', id: nextId('hint'), text: hint }) : null;
  const problem = problemSlot();
  describedBy(control, hintNode?.id, problem.id);
  const node = el('div', { class: 'field narrow', dataset: { field: pointer } }, el('label', { attrs: { for: id }, text: label }), hintNode, control, problem);
  return {
    node, control,
    read: () => {
      const v = control.value.trim();
      if (v === '') return nullable ? null : 0;
      const n = Number(v);
      // A non-number goes to the server as typed, so its validator names the field.
      return Number.isFinite(n) ? n : v;
    },
  };
}

export function selectField(label, pointer, value, options, { hint } = {}) {
  const id = nextId('field');
  const control = el('select', { id }, options.map(([v, text]) => el('option', { value: v, text, selected: v === (value ?? '') })));
  const hintNode = hint ? el('p', { class: 'hint', id: nextId('hint'), text: hint }) : null;
  const problem = problemSlot();
  describedBy(control, hintNode?.id, problem.id);
  const node = el('div', { class: 'field', dataset: { field: pointer } }, el('label', { attrs: { for: id }, text: label }), hintNode, control, problem);
  return { node, control, read: () => control.value };
}

export function checkField(label, pointer, value) {
  const id = nextId('field');
  const control = el('input', { id, type: 'checkbox', checked: Boolean(value) });
  const problem = problemSlot();
  describedBy(control, problem.id);
  const node = el('div', { class: 'field check', dataset: { field: pointer } }, control, el('label', { attrs: { for: id }, text: label }), problem);
  return { node, control, read: () => control.checked };
}

/** A short list of words in one box (tags, themes), separated by commas or 、. */
export function tokensField(label, pointer, values, { hint = '用逗号或顿号分隔' } = {}) {
  const field = textField(label, pointer, (values ?? []).join('，'), { hint });
  return {
    ...field,
    read: () => [...new Set(field.control.value.split(/[,，、;；\n]/).map((s) => s.trim()).filter(Boolean))],
  };
}

/** An editable list of strings: one row per item, with add, move and remove. */
export function listField(label, pointer, values, { itemLabel = '第', addLabel = '添加一项', placeholder, hint, multiline = false } = {}) {
  let items = [...(values ?? [])];
  const legendId = nextId('legend');
  const rows = el('ol', { class: 'list-rows' });
  const problem = problemSlot();
  const hintNode = hint ? el('p', { class: 'hint', text: hint }) : null;
  const add = el('button', { type: 'button', class: 'add', text: `＋ ${addLabel}` });
  const node = el('fieldset', { class: 'field list', dataset: { field: pointer }, attrs: { 'aria-describedby': problem.id } },
    el('legend', { id: legendId, text: label }), hintNode, problem, rows, add);

  const sync = () => {
    items = [...rows.querySelectorAll(':scope > li [data-item]')].map((input) => input.value);
  };
  const draw = (focusIndex) => {
    clear(rows);
    items.forEach((value, i) => {
      const id = nextId('item');
      const slot = problemSlot();
      const input = multiline
        ? el('textarea', { id, rows: 2, value, dataset: { item: '' } })
        : el('input', { id, value, dataset: { item: '' } });
      if (placeholder) input.placeholder = placeholder;
      describedBy(input, slot.id);
      const move = (delta) => () => {
        sync();
        const j = i + delta;
        [items[i], items[j]] = [items[j], items[i]];
        draw(j);
      };
      rows.append(el('li', { dataset: { field: `${pointer}/${i}` } },
        el('label', { class: 'visually-hidden', attrs: { for: id }, text: `${itemLabel} ${i + 1}` }),
        input,
        el('span', { class: 'row-tools' },
          el('button', { type: 'button', class: 'icon', text: '↑', disabled: i === 0, attrs: { 'aria-label': `上移${itemLabel} ${i + 1}` }, on: { click: move(-1) } }),
          el('button', { type: 'button', class: 'icon', text: '↓', disabled: i === items.length - 1, attrs: { 'aria-label': `下移${itemLabel} ${i + 1}` }, on: { click: move(1) } }),
          el('button', { type: 'button', class: 'icon danger', text: '✕', attrs: { 'aria-label': `删除${itemLabel} ${i + 1}` }, on: { click: () => { sync(); items.splice(i, 1); draw(Math.min(i, items.length - 1)); node.dispatchEvent(new Event('input', { bubbles: true })); } } })),
        slot));
      // Enter in a row adds the next one: typing a batch of wordings needs no mouse.
      if (!multiline) {
        input.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' && !event.isComposing) {
            event.preventDefault();
            sync();
            items.splice(i + 1, 0, '');
            draw(i + 1);
          }
        });
      }
    });
    if (focusIndex !== undefined && focusIndex >= 0) rows.querySelectorAll('[data-item]')[focusIndex]?.focus();
    else if (focusIndex !== undefined) add.focus();
  };
  add.addEventListener('click', () => { sync(); items.push(''); draw(items.length - 1); });
  draw();
  return {
    node,
    read: () => { sync(); return items.map((s) => s.trim()).filter(Boolean); },
    /** Adds a value (the inbox and suggestions use it); returns false when already there. */
    addValue: (value) => { sync(); if (items.includes(value)) return false; items.push(value); draw(); return true; },
  };
}

/**
 * An editable list of objects (materials, fee items, locations, steps): one
 * row per item, a cell per column. Keys the form does not show are kept.
 */
export function rowsField(label, pointer, values, columns, { newItem, addLabel = '添加一行', itemName = '行' } = {}) {
  let items = (values ?? []).map((v) => ({ ...v }));
  const rows = el('div', { class: 'object-rows' });
  const problem = problemSlot();
  const add = el('button', { type: 'button', class: 'add', text: `＋ ${addLabel}` });
  const node = el('fieldset', { class: 'field rows', dataset: { field: pointer }, attrs: { 'aria-describedby': problem.id } },
    el('legend', { text: label }), problem, rows, add);
  let readers = [];

  const sync = () => { items = readers.map((read) => read()); };
  const draw = (focusIndex) => {
    clear(rows);
    readers = items.map((item, i) => {
      const cells = columns.map((col) => cell(col, item[col.key], `${pointer}/${i}/${col.key}`, `${itemName} ${i + 1}`));
      const move = (delta) => () => { sync(); const j = i + delta; [items[i], items[j]] = [items[j], items[i]]; draw(j); };
      const slot = problemSlot();
      rows.append(el('div', { class: 'object-row', dataset: { field: `${pointer}/${i}` }, attrs: { role: 'group', 'aria-label': `${itemName} ${i + 1}` } },
        el('span', { class: 'row-number', attrs: { 'aria-hidden': 'true' }, text: String(i + 1) }),
        el('div', { class: 'cells' }, cells.map((c) => c.node)),
        el('span', { class: 'row-tools' },
          el('button', { type: 'button', class: 'icon', text: '↑', disabled: i === 0, attrs: { 'aria-label': `上移${itemName} ${i + 1}` }, on: { click: move(-1) } }),
          el('button', { type: 'button', class: 'icon', text: '↓', disabled: i === items.length - 1, attrs: { 'aria-label': `下移${itemName} ${i + 1}` }, on: { click: move(1) } }),
          el('button', { type: 'button', class: 'icon danger', text: '✕', attrs: { 'aria-label': `删除${itemName} ${i + 1}` }, on: { click: () => { sync(); items.splice(i, 1); draw(Math.min(i, items.length - 1)); node.dispatchEvent(new Event('input', { bubbles: true })); } } })),
        slot));
      return () => {
        const next = { ...item };
        for (const [k, c] of columns.map((col, n) => [col.key, cells[n]])) {
          const v = c.read();
          if (v === undefined) delete next[k];
          else next[k] = v;
        }
        return next;
      };
    });
    if (focusIndex !== undefined && focusIndex >= 0) rows.children[focusIndex]?.querySelector('input, select, textarea')?.focus();
    else if (focusIndex !== undefined) add.focus();
  };
  add.addEventListener('click', () => { sync(); items.push(newItem()); draw(items.length - 1); });
  draw();
  return { node, read: () => { sync(); return items.map((i) => ({ ...i })); } };
}

function cell(col, value, pointer, rowName) {
  const id = nextId('cell');
  const problem = problemSlot();
  let control;
  let read;
  if (col.kind === 'select') {
    control = el('select', { id }, col.options.map(([v, text]) => el('option', { value: v, text, selected: v === value })));
    read = () => control.value;
  } else if (col.kind === 'check') {
    control = el('input', { id, type: 'checkbox', checked: Boolean(value) });
    read = () => control.checked;
  } else if (col.kind === 'int' || col.kind === 'number') {
    control = el('input', { id, type: 'number', value: value === null || value === undefined ? '' : String(value), attrs: { min: 0, step: col.kind === 'int' ? 1 : 'any' } });
    read = () => {
      const v = control.value.trim();
      if (v === '') return col.nullable ? null : 0;
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    };
  } else {
    control = col.kind === 'textarea' ? el('textarea', { id, rows: 2, value: value ?? '' }) : el('input', { id, value: value ?? '' });
    if (col.placeholder) control.placeholder = col.placeholder;
    read = () => {
      const v = control.value.trim();
      return col.optional && !v ? undefined : v;
    };
  }
  describedBy(control, problem.id);
  const labelNode = el('label', { attrs: { for: id } }, el('span', { class: 'visually-hidden', text: `${rowName} ` }), col.label);
  const node = el('div', { class: `cell ${col.kind ?? 'text'}${col.wide ? ' wide' : ''}`, dataset: { field: pointer } },
    col.kind === 'check' ? [control, labelNode] : [labelNode, control], problem);
  return { node, read };
}

/** Picks one entry by searching titles; shows the chosen one with a way to clear it. */
export function entryPicker(label, pointer, { kind, value = null, title = '', hint, onChange } = {}) {
  let chosen = value ? { id: value, title: title || value } : null;
  const id = nextId('picker');
  const search = el('input', { id, type: 'search', placeholder: '输入关键词查找条目', value: '', attrs: { autocomplete: 'off' } });
  const results = el('ul', { class: 'picker-results', attrs: { 'aria-label': `${label}：搜索结果` } });
  const current = el('p', { class: 'picker-current', attrs: { 'aria-live': 'polite' } });
  const problem = problemSlot();
  const hintNode = hint ? el('p', { class: 'hint', id: nextId('hint'), text: hint }) : null;
  describedBy(search, hintNode?.id, problem.id);
  const showCurrent = () => {
    clear(current, chosen
      ? [el('span', { text: '已选：' }), el('a', { href: `#/entry/${encodeURIComponent(chosen.id)}`, text: chosen.title }), el('span', { class: 'muted small', text: ` ${chosen.id} ` }),
        el('button', { type: 'button', class: 'link', text: '清除', on: { click: () => { chosen = null; showCurrent(); onChange?.(null); search.focus(); } } })]
      : el('span', { class: 'muted', text: '未选择' }));
  };
  const find = debounce(async () => {
    const text = search.value.trim();
    if (!text) { clear(results); return; }
    try {
      const data = await api('/entries', { params: { text, kind, limit: 8 } });
      clear(results, data.items.length === 0 ? el('li', { class: 'muted', text: '没有找到' }) : data.items.map((item) => el('li', {},
        el('button', { type: 'button', class: 'pick', on: { click: () => { chosen = { id: item.id, title: item.title, kind: item.kind }; clear(results); search.value = ''; showCurrent(); onChange?.(chosen); } } },
          item.title, el('span', { class: 'muted small', text: ` ${item.id}` })))));
    } catch (error) {
      clear(results, el('li', { class: 'problem-text', text: error.message }));
    }
  }, 250);
  search.addEventListener('input', find);
  search.addEventListener('keydown', (event) => {
    // Enter must not submit the editor; it jumps into the results instead.
    if (event.key === 'Enter') { event.preventDefault(); results.querySelector('button')?.focus(); }
  });
  showCurrent();
  const node = el('div', { class: 'field picker', dataset: { field: pointer } },
    el('label', { attrs: { for: id }, text: label }), hintNode, current, search, results, problem);
  return {
    node, search,
    read: () => chosen?.id ?? null,
    chosen: () => chosen,
    set: (entry) => { chosen = entry; showCurrent(); },
  };
}

/** Removes every problem mark in `root`. */
export function clearProblems(root) {
  for (const slot of root.querySelectorAll('.problem')) { slot.hidden = true; slot.textContent = ''; }
  for (const bad of root.querySelectorAll('[aria-invalid="true"]')) bad.removeAttribute('aria-invalid');
  for (const box of root.querySelectorAll('.has-problem')) box.classList.remove('has-problem');
}

/**
 * Shows each problem next to the closest field its pointer names (the field
 * itself, else its parent list or group). Returns the problems no field took.
 */
export function showProblems(root, problems) {
  const unplaced = [];
  let first = null;
  for (const p of problems) {
    let path = p.field ?? '';
    let box = null;
    while (path && !box) {
      box = root.querySelector(`[data-field="${CSS.escape(path)}"]`);
      if (!box) path = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    }
    if (!box) { unplaced.push(p); continue; }
    let slot = box.querySelector(':scope > .problem');
    if (!slot) { slot = problemSlot(); box.append(slot); }
    const extra = path === p.field ? '' : `（${fieldName(p.field)}）`;
    const message = `${problemText(p.message)}${extra}`;
    slot.textContent = slot.textContent ? `${slot.textContent}；${message}` : message;
    slot.hidden = false;
    box.classList.add('has-problem');
    const control = box.querySelector('input, select, textarea');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? box;
  }
  return { unplaced, first };
}
