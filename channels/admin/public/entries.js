// Browsing the knowledge base: search by text, kind, department, status and tag,
// page through the results, open an entry. Filters live in the address, so the
// back button and a shared link bring the same list back.
import { api, can } from './api.js';
import { setParams } from './app.js';
import { badge, clear, el, nextId, setNotice, table, td, when } from './dom.js';

const PAGE = 20;
export const KindLabels = { faq: '问答', matter: '办事指南' };

/** The status badges of an entry row or view. */
export function statusBadges(item) {
  const badges = [];
  if (item.deleted) badges.push(badge('已删除', 'danger'));
  if (item.status === 'draft' && item.publishedVersion === null) badges.push(badge('草稿，未发布', 'warn'));
  else if (item.status === 'draft') badges.push(badge(`有待发布的草稿（线上 v${item.publishedVersion}）`, 'warn'));
  else badges.push(badge('已发布', 'ok'));
  return badges;
}

function labelled(label, control, grow) {
  const id = nextId('filter');
  control.id = id;
  return el('div', { class: grow ? 'field grow' : 'field' }, el('label', { attrs: { for: id }, text: label }), control);
}

function select(name, options, value) {
  return el('select', { name }, options.map(([v, text]) => el('option', { value: v, text, selected: v === value })));
}

export async function render(main, route) {
  const p = route.params;
  const state = {
    text: p.get('text') ?? '', kind: p.get('kind') ?? '', department: p.get('department') ?? '',
    status: p.get('status') ?? '', tag: p.get('tag') ?? '', deleted: p.get('deleted') === 'true',
    page: Math.max(1, Number(p.get('page')) || 1),
  };

  const stats = await api('/stats').catch(() => null);
  const departments = Object.keys(stats?.byDepartment ?? {}).filter((d) => d !== '(none)').sort((a, b) => a.localeCompare(b, 'zh-CN'));

  const text = el('input', { type: 'search', name: 'text', value: state.text, placeholder: '问题、答案、事项名称、编号…' });
  const kind = select('kind', [['', '全部'], ['faq', '问答'], ['matter', '办事指南']], state.kind);
  const department = select('department', [['', '全部部门'], ...departments.map((d) => [d, d])], state.department);
  const status = select('status', [['', '全部'], ['published', '已发布'], ['draft', '草稿']], state.status);
  const tagList = el('datalist', { id: nextId('tags') });
  const tag = el('input', { name: 'tag', value: state.tag, attrs: { list: tagList.id } });
  const deleted = el('input', { type: 'checkbox', name: 'deleted', checked: state.deleted, id: nextId('deleted') });

  const results = el('div', { class: 'results', attrs: { 'aria-live': 'polite' } });
  const message = el('div', { hidden: true });

  const form = el('form', { class: 'filters', attrs: { role: 'search', 'aria-label': '搜索条目' }, on: { submit: (e) => { e.preventDefault(); state.page = 1; void load(); } } },
    labelled('搜索', text, 'grow'), labelled('类型', kind), labelled('部门', department), labelled('状态', status), labelled('标签', tag), tagList,
    el('div', { class: 'field check' }, deleted, el('label', { attrs: { for: deleted.id }, text: '含已删除' })),
    el('div', { class: 'field submit' }, el('button', { type: 'submit', class: 'primary', text: '搜索' })));
  for (const control of [kind, department, status, deleted]) control.addEventListener('change', () => { state.page = 1; void load(); });

  const create = can('editor') ? el('div', { class: 'head-actions' },
    el('a', { class: 'button', href: '#/new/faq', text: '新建问答' }),
    el('a', { class: 'button', href: '#/new/matter', text: '新建办事指南' })) : null;

  const summary = stats ? el('p', { class: 'lead' },
    `共 ${stats.total} 条：问答 ${stats.byKind?.faq ?? 0}，办事指南 ${stats.byKind?.matter ?? 0}`,
    stats.byStatus?.published_with_draft ? `；${stats.byStatus.published_with_draft} 条有待发布的草稿` : '',
    stats.byStatus?.draft ? `；${stats.byStatus.draft} 条草稿未发布` : '',
    stats.deleted ? `；已删除 ${stats.deleted}` : '') : null;

  clear(main,
    el('div', { class: 'page-head' }, el('h1', { text: '知识库条目', attrs: { tabindex: '-1' } }), create),
    summary, form, message, results);

  async function load() {
    Object.assign(state, {
      text: text.value.trim(), kind: kind.value, department: department.value, status: status.value, tag: tag.value.trim(), deleted: deleted.checked,
    });
    setParams({ ...state, page: state.page > 1 ? state.page : '' });
    results.setAttribute('aria-busy', 'true');
    try {
      const data = await api('/entries', {
        params: {
          text: state.text, kind: state.kind, department: state.department, status: state.status, tag: state.tag,
          deleted: state.deleted ? 'true' : '', limit: PAGE, offset: (state.page - 1) * PAGE,
        },
      });
      setNotice(message, 'info');
      const known = new Set([...tagList.options].map((o) => o.value));
      for (const item of data.items) for (const t of item.tags) if (!known.has(t)) { known.add(t); tagList.append(el('option', { value: t })); }
      showResults(data);
    } catch (error) {
      setNotice(message, 'error', error.message);
      clear(results);
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  function showResults(data) {
    const pages = Math.max(1, Math.ceil(data.total / PAGE));
    if (data.items.length === 0) {
      clear(results, el('p', { class: 'empty', text: '没有符合条件的条目。' }));
      return;
    }
    const rows = data.items.map((item) => el('tr', { class: item.deleted ? 'is-deleted' : undefined },
      td(el('a', { href: `#/entry/${encodeURIComponent(item.id)}`, text: item.title }), el('div', { class: 'muted small', text: item.id })),
      el('td', { class: 'nowrap', text: KindLabels[item.kind] ?? item.kind }),
      td(item.department ?? '—'),
      td(...statusBadges(item)),
      el('td', { class: 'nowrap', text: `v${item.version}` }),
      td(item.tags.length ? item.tags.map((t) => el('button', { type: 'button', class: 'chip', text: t, attrs: { 'aria-label': `按标签“${t}”筛选` }, on: { click: () => { tag.value = t; state.page = 1; void load(); } } })) : '—'),
      td(when(item.updatedAt), el('div', { class: 'muted small', text: item.updatedBy }))));
    const pager = el('nav', { class: 'pager', attrs: { 'aria-label': '翻页' } },
      el('button', { type: 'button', text: '上一页', disabled: state.page <= 1, on: { click: () => { state.page -= 1; void load(); } } }),
      el('span', { text: `第 ${state.page} / ${pages} 页，共 ${data.total} 条` }),
      el('button', { type: 'button', text: '下一页', disabled: state.page >= pages, on: { click: () => { state.page += 1; void load(); } } }));
    clear(results, table('条目列表', ['标题', '类型', '部门', '状态', '版本', '标签', '最后修改'], rows), pager);
  }

  await load();
}
