// An entry's history: every version with who made it, the audit trail, a
// field-by-field diff between any two versions, and rollback (a reviewer's call).
import { api, ApiError, can } from './api.js';
import { badge, button, clear, confirmDialog, el, nextId, setNotice, table, td, when } from './dom.js';
import { ActionLabels, fieldName, showValue } from './labels.js';

const ChangeLabels = { added: '新增', removed: '删除', changed: '修改' };

export function renderHistory(container, view, { onChanged }) {
  const message = el('div', { hidden: true });
  const versionsBox = el('div', {}, el('p', { class: 'loading', text: '正在加载历史…' }));
  const diffBox = el('div', { class: 'diff-result', attrs: { 'aria-live': 'polite' } });
  const fromId = nextId('from');
  const toId = nextId('to');
  const from = el('select', { id: fromId });
  const to = el('select', { id: toId });
  const diffForm = el('form', { class: 'diff-form', on: { submit: (e) => { e.preventDefault(); void diff(Number(from.value), Number(to.value)); } } },
    el('div', { class: 'field' }, el('label', { attrs: { for: fromId }, text: '从版本' }), from),
    el('div', { class: 'field' }, el('label', { attrs: { for: toId }, text: '到版本' }), to),
    el('div', { class: 'field submit' }, el('button', { type: 'submit', class: 'primary', text: '对比' })));

  clear(container,
    el('h2', { text: '版本' }), message, versionsBox,
    el('h2', { text: '对比两个版本' }), diffForm, diffBox,
    el('h2', { text: '操作记录' }));
  const auditBox = el('div');
  container.append(auditBox);

  let loaded = null;

  async function load() {
    try {
      loaded = await api(`/entries/${encodeURIComponent(view.id)}/history`);
    } catch (error) {
      setNotice(message, 'error', error.message);
      clear(versionsBox);
      return;
    }
    const byVersion = new Map(loaded.audit.map((a) => [a.version, a]));
    // Every version number, also those a delete or restore made without new content.
    const numbers = Array.from({ length: loaded.version }, (_, i) => i + 1);
    const optionLabel = (n) => {
      const a = byVersion.get(n);
      return `v${n}${a ? ` · ${ActionLabels[a.action] ?? a.action} · ${a.actor}` : ''}`;
    };
    for (const select of [from, to]) clear(select, numbers.map((n) => el('option', { value: String(n), text: optionLabel(n) })));
    from.value = String(Math.max(1, loaded.version - 1));
    to.value = String(loaded.version);

    const rows = [...loaded.versions].reverse().map((v) => el('tr', {},
      td(`v${v.version} `, v.version === loaded.version ? badge('最新', 'info') : null, v.version === loaded.publishedVersion ? badge('线上', 'ok') : null),
      td(v.status === 'draft' ? '草稿' : '已发布'),
      td(when(v.createdAt)), td(v.createdBy),
      td(el('div', { class: 'row-actions' },
        v.version < loaded.version ? button('与最新对比', () => { from.value = String(v.version); to.value = String(loaded.version); void diff(v.version, loaded.version); }) : null,
        v.version > 1 ? button('看这次改了什么', () => { const prev = Math.max(1, v.version - 1); from.value = String(prev); to.value = String(v.version); void diff(prev, v.version); }) : null,
        can('reviewer') && v.version < loaded.version ? button(`回滚到 v${v.version}`, () => { void rollback(v.version); }, { kind: 'danger' }) : null))));
    clear(versionsBox, table('版本列表', ['版本', '状态', '时间', '修改人', '操作'], rows));

    clear(auditBox, loaded.audit.length === 0 ? el('p', { class: 'muted', text: '暂无记录' }) : table('操作记录',
      ['时间', '操作', '版本', '操作人'],
      // Newest first, as the versions above.
      loaded.audit.map((a) => el('tr', {}, td(when(a.at)), td(ActionLabels[a.action] ?? a.action), td(`v${a.version}`), td(a.actor)))));
  }

  async function diff(a, b) {
    setNotice(message, 'info');
    clear(diffBox, el('p', { class: 'loading', text: '正在对比…' }));
    try {
      const result = await api(`/entries/${encodeURIComponent(view.id)}/diff`, { params: { from: a, to: b } });
      if (result.changes.length === 0) {
        clear(diffBox, el('p', { class: 'muted', text: `v${result.from} 与 v${result.to} 的内容相同。` }));
        return;
      }
      const rows = result.changes.map((c) => el('tr', { class: `change-${c.change}` },
        el('th', { attrs: { scope: 'row' }, text: fieldName(c.field) }),
        td(ChangeLabels[c.change] ?? c.change),
        td(c.added || c.removed
          ? el('div', { class: 'word-changes' },
            (c.removed ?? []).map((w) => el('del', { class: 'chip removed' }, el('span', { class: 'visually-hidden', text: '删去：' }), String(w))),
            (c.added ?? []).map((w) => el('ins', { class: 'chip added' }, el('span', { class: 'visually-hidden', text: '加上：' }), String(w))))
          : el('div', { class: 'before-after' },
            el('div', { class: 'before' }, el('span', { class: 'label', text: `v${result.from}` }), showValue(c.from)),
            el('div', { class: 'after' }, el('span', { class: 'label', text: `v${result.to}` }), showValue(c.to))))));
      clear(diffBox,
        el('p', { text: `v${result.from}（${result.fromStatus === 'draft' ? '草稿' : '已发布'}）→ v${result.to}（${result.toStatus === 'draft' ? '草稿' : '已发布'}）：${result.changes.length} 处不同` }),
        table(`v${result.from} 与 v${result.to} 的差异`, ['字段', '变化', '内容'], rows, { className: 'grid diff' }));
    } catch (error) {
      clear(diffBox);
      setNotice(message, 'error', error.message);
    }
  }

  async function rollback(version) {
    if (!(await confirmDialog(`把内容回滚到 v${version}？这会生成一个新版本并立即发布，之前的版本都会保留。`, { ok: `回滚到 v${version}`, danger: true }))) return;
    try {
      const result = await api(`/entries/${encodeURIComponent(view.id)}/rollback`, { body: { version }, ifMatch: loaded.version });
      await onChanged(result, `已回滚到 v${version} 的内容，新版本为 v${result.version}`);
    } catch (error) {
      setNotice(message, 'error', error instanceof ApiError && error.code === 'VERSION_CONFLICT' ? '条目已被他人修改，请刷新后再回滚' : error.message);
    }
  }

  void load();
  return { diff: (a, b) => { from.value = String(a); to.value = String(b); void diff(a, b); } };
}
