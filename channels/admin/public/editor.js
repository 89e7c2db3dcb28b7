// One entry: its form, saving as draft or published with If-Match, and what to
// do when the save is refused: field problems in place, another person's newer
// version side by side to merge (nothing is overwritten silently), wordings
// another entry already answers with a deliberate "仍然保存". Also publish,
// delete, restore, and the history tab.
import { api, ApiError, can } from './api.js';
import { announce, guardLeaving, replaceRoute } from './app.js';
import { badge, button, clear, confirmDialog, el, setNotice, when } from './dom.js';
import { KindLabels, statusBadges } from './entries.js';
import { clearProblems, showProblems } from './fields.js';
import { blankEntry, faqBody, faqForm, matterBody, matterForm, titleOf } from './forms.js';
import { renderHistory } from './history.js';
import { fieldName, FieldLabels, problemText, showValue } from './labels.js';

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const titleOfEntry = (entry) => (entry.kind === 'matter' ? entry.name : entry.question) || '（未命名）';

export async function renderEntry(main, route) {
  const id = route.parts[0];
  const view = await api(`/entries/${encodeURIComponent(id)}`);
  await mount(main, view, { tab: route.params.get('tab') === 'history' ? 'history' : 'content' });
}

export async function renderNew(main, route) {
  const kind = route.parts[0] === 'matter' ? 'matter' : 'faq';
  const entry = blankEntry(kind);
  // The inbox's "new FAQ" may hand over a question to start from.
  const question = route.params.get('question');
  if (kind === 'faq' && question) entry.question = question;
  await mount(main, null, { kind, entry });
}

/**
 * Draws the entry page. `view` is the API's entry view (null for a new entry);
 * `flash` is a message to show once, e.g. after a save.
 */
async function mount(main, view, { tab = 'content', kind, entry, flash, dirtyFrom, base } = {}) {
  const isNew = view === null;
  const baseEntry = isNew ? entry : view.entry;
  const entryKind = isNew ? kind : view.kind;
  const linkedTitle = entryKind === 'faq' && baseEntry.matterId ? await titleOf(baseEntry.matterId) : '';
  const form = entryKind === 'faq' ? faqForm(baseEntry, { linkedTitle }) : matterForm(baseEntry, { isNew });
  const pristine = JSON.stringify(form.read());
  // What this edit started from (as the form reads it), for telling our changes from theirs in a conflict.
  const startedFrom = base ?? JSON.parse(pristine);
  // After a merge the form holds changes not yet saved, whatever it reads now.
  let forcedDirty = Boolean(dirtyFrom);
  const dirty = () => forcedDirty || JSON.stringify(form.read()) !== pristine;
  const readOnly = !can('editor') || (view?.deleted ?? false);

  const status = el('div', { class: 'save-status', hidden: true });
  const problemsBox = el('div', { class: 'problem-summary', hidden: true });
  const conflictBox = el('div', { class: 'conflict', hidden: true });
  const banners = el('div', { class: 'banners' });
  const formNode = el('form', {
    class: `entry-form ${entryKind}`, attrs: { 'aria-label': `${KindLabels[entryKind]}内容`, novalidate: true },
    on: { submit: (e) => { e.preventDefault(); } },
  }, form.sections);
  if (readOnly) for (const control of formNode.querySelectorAll('input, select, textarea, button')) control.disabled = true;

  const heading = el('h1', { attrs: { tabindex: '-1' }, text: isNew ? `新建${KindLabels[entryKind]}` : titleOfEntry(view.entry) });
  const meta = isNew ? null : el('p', { class: 'meta' },
    badge(KindLabels[view.kind], 'kind'), ...statusBadges(view),
    el('span', { text: `编号 ${view.id}` }), el('span', { text: `当前版本 v${view.version}` }),
    view.publishedVersion ? el('span', { text: `线上版本 v${view.publishedVersion}` }) : null,
    el('span', { text: `最后修改：${view.updatedBy}，${when(view.updatedAt)}` }));

  // Actions: what the role may do.
  const saveDraft = el('button', { type: 'button', text: '保存草稿', on: { click: () => { void save('draft'); } } });
  const savePublish = el('button', { type: 'button', class: 'primary', text: isNew ? '保存并发布' : '保存并发布', on: { click: () => { void save('published'); } } });
  const remove = isNew ? null : el('button', { type: 'button', class: 'danger', text: '删除', on: { click: () => { void removeEntry(); } } });
  const actions = el('div', { class: 'actions sticky', attrs: { role: 'group', 'aria-label': '保存' } });
  if (!readOnly) {
    // As the staff API has it: editors publish their own edits, and a draft is how they ask for a review;
    // publishing somebody's pending draft is the reviewer's (the banner above).
    actions.append(saveDraft, savePublish);
  }
  if (!isNew) {
    actions.append(el('span', { class: 'spacer' }),
      el('a', { class: 'button', href: `#/hit-test?q=${encodeURIComponent(titleOfEntry(view.entry))}`, text: '命中测试' }));
    if (remove && !readOnly) actions.append(remove);
  }

  // Banners: deleted, pending draft.
  if (view?.deleted) {
    banners.append(el('div', { class: 'notice warn', attrs: { role: 'status' } },
      el('strong', { text: '此条目已删除，' }), '市民不会再收到它的回答。',
      can('editor') ? button('恢复', () => { void restore(); }, { kind: 'primary' }) : null));
  } else if (view && view.status === 'draft') {
    banners.append(el('div', { class: 'notice warn', attrs: { role: 'status' } },
      view.publishedVersion ? `v${view.version} 是草稿，市民看到的仍是 v${view.publishedVersion}。` : '此条目还是草稿，市民看不到。',
      view.publishedVersion ? button('查看与线上版本的差异', () => { showTab('history'); history.diff(view.publishedVersion, view.version); }) : null,
      can('reviewer') ? button(`发布 v${view.version}`, () => { void publish(); }, { kind: 'primary' })
        : el('span', { class: 'small', text: '发布草稿需要审核员或以上角色。' })));
  }

  // Tabs: content and history.
  const tabContent = el('button', { type: 'button', class: 'tab', id: 'tab-content', attrs: { role: 'tab', 'aria-controls': 'panel-content' }, text: '内容' });
  const tabHistory = el('button', { type: 'button', class: 'tab', id: 'tab-history', attrs: { role: 'tab', 'aria-controls': 'panel-history' }, text: '历史版本与对比' });
  const panelContent = el('div', { id: 'panel-content', attrs: { role: 'tabpanel', 'aria-labelledby': 'tab-content' } });
  const panelHistory = el('div', { id: 'panel-history', attrs: { role: 'tabpanel', 'aria-labelledby': 'tab-history' } });
  const tabs = isNew ? null : el('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': '条目视图' } }, tabContent, tabHistory);
  const toc = form.toc ? el('nav', { class: 'toc', attrs: { 'aria-label': '事项各部分' } }, el('ul', {}, form.toc.map((t) => el('li', {},
    el('a', { href: `#${t.id}`, text: t.title, on: { click: (e) => { e.preventDefault(); const target = document.getElementById(t.id); target?.scrollIntoView({ block: 'start' }); target?.querySelector('input, select, textarea')?.focus({ preventScroll: true }); } } }))))) : null;

  panelContent.append(conflictBox, problemsBox, el('div', { class: toc ? 'with-toc' : '' }, toc, formNode), actions, status);
  let history = { diff: () => {} };
  const showTab = (which) => {
    const onHistory = which === 'history';
    tabContent.setAttribute('aria-selected', String(!onHistory));
    tabHistory.setAttribute('aria-selected', String(onHistory));
    tabContent.tabIndex = onHistory ? -1 : 0;
    tabHistory.tabIndex = onHistory ? 0 : -1;
    panelContent.hidden = onHistory;
    panelHistory.hidden = !onHistory;
    if (onHistory && !panelHistory.dataset.loaded && view) {
      panelHistory.dataset.loaded = 'true';
      history = renderHistory(panelHistory, view, { onChanged: (next, message) => reload(next, message) });
    }
  };
  if (tabs) {
    tabContent.addEventListener('click', () => showTab('content'));
    tabHistory.addEventListener('click', () => showTab('history'));
    tabs.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const next = document.activeElement === tabContent ? tabHistory : tabContent;
      next.focus();
      next.click();
    });
  }

  clear(main,
    el('p', { class: 'crumbs' }, el('a', { href: '#/entries', text: '← 返回条目列表' })),
    el('div', { class: 'page-head' }, heading), meta, banners, tabs, panelContent, isNew ? null : panelHistory);
  showTab(tab);
  if (flash) setNotice(status, flash.kind, flash.text);
  guardLeaving(() => (!readOnly && dirty() ? '有未保存的修改' : null));

  function busy(on) {
    for (const b of actions.querySelectorAll('button')) b.disabled = on;
    actions.setAttribute('aria-busy', String(on));
  }

  function reload(next, message) {
    guardLeaving(null);
    // A new entry gets its own address; the page is drawn again from the saved version.
    if (isNew) replaceRoute(`#/entry/${encodeURIComponent(next.id)}`);
    return mount(main, next, { tab: panelHistory.hidden ? 'content' : 'history', flash: message ? { kind: 'ok', text: message } : undefined })
      .then(() => { if (message) announce(message); });
  }

  async function save(statusWanted, force = false) {
    clearProblems(formNode);
    setNotice(problemsBox, 'error');
    setNotice(status, 'info');
    const edited = form.read();
    const body = entryKind === 'faq' ? faqBody(edited) : matterBody(edited);
    body.status = statusWanted;
    busy(true);
    try {
      const path = entryKind === 'faq' ? '/faqs' : '/matters';
      const params = force ? { force: 'true' } : undefined;
      const saved = isNew
        ? await api(path, { method: 'POST', body, params })
        : await api(`${path}/${encodeURIComponent(view.id)}`, { method: 'PUT', body, params, ifMatch: view.version });
      const message = saved.status === 'draft' ? `已保存为草稿 v${saved.version}` : `已发布 v${saved.version}，市民现在就能得到新的回答`;
      forcedDirty = false;
      await reload(saved, message);
    } catch (error) {
      busy(false);
      handleSaveError(error, statusWanted, edited);
    }
  }

  function handleSaveError(error, statusWanted, edited) {
    if (!(error instanceof ApiError)) { setNotice(status, 'error', String(error)); return; }
    if (error.code === 'INVALID_ENTRY' || (error.code === 'BAD_REQUEST' && error.body.field)) {
      const problems = error.body.problems ?? [{ field: error.body.field, message: error.message }];
      const { unplaced, first } = showProblems(formNode, problems);
      setNotice(problemsBox, 'error',
        el('p', {}, el('strong', { text: `有 ${problems.length} 处需要修改，` }), '已在对应字段旁标出：'),
        el('ul', {}, problems.map((p) => el('li', {}, el('button', {
          type: 'button', class: 'link', text: `${fieldName(p.field)}：${problemText(p.message)}`,
          on: { click: () => { const box = formNode.querySelector(`[data-field="${CSS.escape(p.field)}"]`); (box?.querySelector('input, select, textarea') ?? first)?.focus(); } },
        })))),
        unplaced.length ? el('p', { class: 'small', text: '（部分问题不属于表单上的某一项。）' }) : null);
      first?.focus?.();
      return;
    }
    if (error.code === 'ALTERNATE_CONFLICT') { showAlternateConflict(error.body.conflicts ?? [], statusWanted, edited); return; }
    if (error.code === 'VERSION_CONFLICT') { showVersionConflict(error.body.current, edited); return; }
    setNotice(status, 'error', error.message);
  }

  /** 409 ALTERNATE_CONFLICT: the wordings another entry already answers, and a deliberate way past. */
  function showAlternateConflict(conflicts, statusWanted, edited) {
    const wordings = entryKind === 'faq' ? ['question', 'alternates'] : ['name', 'aliases'];
    const problems = [];
    for (const c of conflicts) {
      if (edited[wordings[0]] === c.text) problems.push({ field: `/${wordings[0]}`, message: `已能强匹配到“${c.title}”` });
      const index = (edited[wordings[1]] ?? []).indexOf(c.text);
      if (index >= 0) problems.push({ field: `/${wordings[1]}/${index}`, message: `已能强匹配到“${c.title}”（置信度 ${c.confidence}）` });
    }
    showProblems(formNode, problems);
    const force = button('仍然保存', () => { clear(conflictBox); conflictBox.hidden = true; void save(statusWanted, true); }, { kind: 'danger' });
    clear(conflictBox,
      el('h2', { text: '有问法与其他条目冲突' }),
      el('p', { text: `下列 ${conflicts.length} 个问法，市民现在问时会得到另一个条目的回答。两个条目争同一个问法，其中一个就永远答不到。` }),
      el('ul', { class: 'conflict-list' }, conflicts.map((c) => el('li', {},
        el('q', { text: c.text }), ' → ', el('a', { href: `#/entry/${encodeURIComponent(c.entryId)}`, text: c.title }),
        el('span', { class: 'muted small', text: ` ${c.entryId}，置信度 ${c.confidence}` })))),
      el('div', { class: 'actions' },
        button('返回修改', () => { conflictBox.hidden = true; formNode.querySelector('[aria-invalid="true"]')?.focus(); }),
        force, el('span', { class: 'muted small', text: '确认这些问法确实应由本条目回答时才选“仍然保存”。' })));
    conflictBox.hidden = false;
    conflictBox.setAttribute('role', 'alert');
    force.focus();
  }

  /**
   * 409 VERSION_CONFLICT: someone saved first. Their version and ours side by
   * side, field by field; fields only one side changed default to that side,
   * fields both changed must be chosen by hand before merging.
   */
  function showVersionConflict(current, edited) {
    if (!current) { setNotice(status, 'error', '条目已被他人修改，请重新载入'); return; }
    const theirs = current.entry;
    const keys = [...new Set([...Object.keys(edited), ...Object.keys(theirs)])].filter((k) => k !== 'id' && k !== 'kind' && !same(edited[k], theirs[k]));
    const choices = new Map();
    const rows = keys.map((key) => {
      const mineChanged = !same(edited[key], startedFrom[key]);
      const theirsChanged = !same(theirs[key], startedFrom[key]);
      const both = mineChanged && theirsChanged;
      const preset = both ? null : mineChanged ? 'mine' : 'theirs';
      if (preset) choices.set(key, preset);
      const name = `merge-${key}`;
      const radio = (value, label) => {
        const input = el('input', { type: 'radio', name, value, checked: preset === value, id: `${name}-${value}`, on: { change: () => { choices.set(key, value); ready(); } } });
        return el('span', { class: 'choice' }, input, el('label', { attrs: { for: input.id }, text: label }));
      };
      return el('tr', { class: both ? 'both-changed' : undefined },
        el('th', { attrs: { scope: 'row' } }, FieldLabels[key] ?? key, both ? el('div', { class: 'small warn-text', text: '双方都改了' }) : null),
        el('td', {}, showValue(edited[key])),
        el('td', {}, showValue(theirs[key])),
        el('td', {}, el('fieldset', { class: 'choices' }, el('legend', { class: 'visually-hidden', text: `${FieldLabels[key] ?? key}采用` }), radio('mine', '我的'), radio('theirs', '对方的'))));
    });
    const merge = button('按所选合并，继续编辑', () => {
      const merged = { ...theirs };
      for (const [key, choice] of choices) {
        if (choice === 'mine') {
          if (edited[key] === undefined) delete merged[key];
          else merged[key] = edited[key];
        }
      }
      void mount(main, { ...current, entry: merged }, {
        dirtyFrom: current.version, base: theirs,
        flash: { kind: 'warn', text: `已在 v${current.version} 的基础上合并。尚未保存：请检查后再保存。` },
      });
    }, { kind: 'primary' });
    const ready = () => { merge.disabled = keys.some((k) => !choices.has(k)); };
    ready();
    clear(conflictBox,
      el('h2', { text: '保存未成功：条目已被他人修改' }),
      el('p', {}, `${current.updatedBy} 于 ${when(current.updatedAt)} 保存了 v${current.version}（${current.status === 'draft' ? '草稿' : '已发布'}），您是在 v${view.version} 上编辑的。`,
        '您的修改还在，没有被覆盖，也没有覆盖对方。'),
      keys.length === 0
        ? el('p', { text: '对方的版本与您的修改内容相同。' })
        : el('table', { class: 'grid merge' },
          el('caption', { text: '不同之处（只有一方改动的字段已预选那一方）' }),
          el('thead', {}, el('tr', {}, el('th', { attrs: { scope: 'col' }, text: '字段' }), el('th', { attrs: { scope: 'col' }, text: '我的修改' }),
            el('th', { attrs: { scope: 'col' }, text: `对方的版本 v${current.version}` }), el('th', { attrs: { scope: 'col' }, text: '采用' }))),
          el('tbody', {}, rows)),
      el('div', { class: 'actions' }, merge,
        button(`放弃我的修改，载入 v${current.version}`, async () => {
          if (await confirmDialog('放弃您尚未保存的修改，载入对方的版本？', { ok: '放弃并载入' })) {
            guardLeaving(null);
            void mount(main, current, { flash: { kind: 'info', text: `已载入 v${current.version}` } });
          }
        })));
    conflictBox.hidden = false;
    conflictBox.setAttribute('role', 'alert');
    conflictBox.scrollIntoView({ block: 'start' });
    conflictBox.querySelector('input, button')?.focus({ preventScroll: true });
  }

  async function publish() {
    try {
      const published = await api(`/entries/${encodeURIComponent(view.id)}/publish`, { method: 'POST', ifMatch: view.version });
      await reload(published, `已发布 v${published.version}`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') showVersionConflict(error.body.current, form.read());
      else setNotice(status, 'error', error.message);
    }
  }

  async function removeEntry() {
    if (!(await confirmDialog(`删除“${titleOfEntry(view.entry)}”？删除后市民将不再收到它的回答，之后可以恢复。`, { ok: '删除' }))) return;
    try {
      await api(`/${view.kind === 'faq' ? 'faqs' : 'matters'}/${encodeURIComponent(view.id)}`, { method: 'DELETE', ifMatch: view.version });
      const next = await api(`/entries/${encodeURIComponent(view.id)}`);
      await reload(next, '已删除。');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') showVersionConflict(error.body.current, form.read());
      else setNotice(status, 'error', error.message);
    }
  }

  async function restore() {
    try {
      const restored = await api(`/entries/${encodeURIComponent(view.id)}/restore`, { method: 'POST', ifMatch: view.version });
      await reload(restored, `已恢复（v${restored.version}）`);
    } catch (error) {
      setNotice(status, 'error', error.message);
    }
  }

  // Any edit clears the "saved" message, which would otherwise describe an older state.
  formNode.addEventListener('input', () => { if (!status.hidden && status.querySelector('.ok')) setNotice(status, 'info'); });
}
