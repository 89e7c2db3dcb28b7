// The unanswered inbox: clusters of citizens' questions the bot could not answer
// well, each with examples and the entry retrieval suggests. Staff attach a
// cluster's wordings to an entry (they become alternates), write a new FAQ from
// it, or dismiss it. Below: wordings citizens clarified to an entry, to accept
// as alternates or reject. Texts are shown as logged: masked.
import { api, ApiError, can } from './api.js';
import { setParams } from './app.js';
import { badge, button, clear, el, nextId, num, setNotice, table, td, when } from './dom.js';
import { KindLabels } from './entries.js';
import { clearProblems, entryPicker, listField, showProblems, textField } from './fields.js';
import { ChannelLabels } from './analytics.js';
import { fieldName, problemText } from './labels.js';

const ReasonLabels = { fallback: '无法回答', low_confidence: '置信度低', unresolved_clarify: '追问后未解决', rated_unsatisfied: '评价不满意' };
const PAGE = 20;
/** The suggestion is probably already the answer a citizen gets at or above this confidence. */
const HighConfidence = 0.8;

/** Citizen text with the masked stretches marked, so staff see at a glance what was hidden. */
export function maskedText(text) {
  const parts = String(text).split(/(\*{4,})/);
  return el('span', { class: 'citizen-text' }, parts.map((part) => (/^\*{4,}$/.test(part)
    ? el('span', { class: 'masked', attrs: { title: '个人信息已隐藏' }, text: part })
    : part)));
}

export async function render(main, route) {
  const p = route.params;
  const from = el('input', { type: 'date', id: nextId('from'), value: p.get('from') ?? '' });
  const to = el('input', { type: 'date', id: nextId('to'), value: p.get('to') ?? '' });
  let page = Math.max(1, Number(p.get('page')) || 1);
  const message = el('div', { hidden: true });
  const list = el('div', { class: 'clusters' });
  const suggestions = el('div', { class: 'suggestions' });
  const form = el('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); page = 1; void load(); } } },
    el('div', { class: 'field' }, el('label', { attrs: { for: from.id }, text: '开始日期' }), from),
    el('div', { class: 'field' }, el('label', { attrs: { for: to.id }, text: '结束日期' }), to),
    el('div', { class: 'field submit' }, el('button', { type: 'submit', class: 'primary', text: '筛选' })));

  clear(main, el('div', { class: 'page-head' }, el('h1', { text: '未答问题', attrs: { tabindex: '-1' } })),
    el('p', { class: 'lead', text: '机器人没能答好的市民问题（无法回答、置信度低、追问后未解决、评价不满意），相似的问法归为一组。个人信息已在记录时隐藏。' }),
    form, message,
    el('section', { attrs: { 'aria-labelledby': 'clusters-title' } }, el('h2', { id: 'clusters-title', text: '待处理的问题组' }), list),
    el('section', { attrs: { 'aria-labelledby': 'suggest-title' } }, el('h2', { id: 'suggest-title', text: '建议的新问法' }),
      el('p', { class: 'hint', text: '市民的说法经过追问后选定了某个条目：这些说法可以加为该条目的问法。' }), suggestions));

  const range = () => ({ from: from.value, to: to.value });

  async function load() {
    setParams({ ...range(), page: page > 1 ? page : '' });
    setNotice(message, 'info');
    list.setAttribute('aria-busy', 'true');
    try {
      const data = await api('/inbox', { params: { ...range(), limit: PAGE, offset: (page - 1) * PAGE } });
      drawClusters(data);
    } catch (error) {
      clear(list);
      setNotice(message, 'error', error.message);
    } finally {
      list.removeAttribute('aria-busy');
    }
    await loadSuggestions();
  }

  function drawClusters(data) {
    if (data.items.length === 0) {
      clear(list, el('p', { class: 'empty', text: page > 1 ? '这一页没有了。' : '没有待处理的问题，做得好！' }));
      return;
    }
    const pages = Math.max(1, Math.ceil(data.total / PAGE));
    clear(list, el('p', { class: 'muted', text: `共 ${data.total} 组` }), el('ol', { class: 'cluster-list' }, data.items.map((c) => el('li', {}, cluster(c)))),
      pages > 1 ? el('nav', { class: 'pager', attrs: { 'aria-label': '翻页' } },
        el('button', { type: 'button', text: '上一页', disabled: page <= 1, on: { click: () => { page -= 1; void load(); } } }),
        el('span', { text: `第 ${page} / ${pages} 页` }),
        el('button', { type: 'button', text: '下一页', disabled: page >= pages, on: { click: () => { page += 1; void load(); } } })) : null);
  }

  function cluster(c) {
    const headingId = nextId('cluster');
    const work = el('div', { class: 'cluster-work' });
    const status = el('div', { hidden: true });
    const s = c.suggestedEntry;
    const card = el('article', { class: 'cluster', dataset: { cluster: c.id }, attrs: { 'aria-labelledby': headingId } },
      el('header', {},
        el('h3', { id: headingId }, maskedText(c.text)),
        el('p', { class: 'meta' },
          badge(`${c.count} 次`, 'count'), el('span', { text: `${c.sessions} 个会话` }),
          Object.entries(c.reasons).map(([r, n]) => badge(`${ReasonLabels[r] ?? r} ${n}`, r === 'fallback' ? 'danger' : 'warn')),
          el('span', { class: 'muted', text: Object.entries(c.channels).map(([ch, n]) => `${ChannelLabels[ch] ?? ch} ${n}`).join('，') }),
          el('span', { class: 'muted', text: `${when(c.firstSeen)} – ${when(c.lastSeen)}` }))),
      el('div', { class: 'examples' }, el('h4', { text: '市民的问法' }),
        el('ul', {}, c.examples.map((e) => el('li', {}, maskedText(e.text), e.count > 1 ? el('span', { class: 'muted small', text: ` ×${e.count}` }) : null)))),
      el('p', { class: 'suggested' }, el('span', { text: '检索建议：' }),
        s ? [el('a', { href: `#/entry/${encodeURIComponent(s.entryId)}`, text: s.title }), el('span', { class: 'muted small', text: ` ${KindLabels[s.kind] ?? ''} ${s.entryId}，置信度 ${num(s.confidence)} ` }),
          // Asked before a fix went live: retrieval may already answer it now, and the cluster only needs dismissing.
          s.confidence >= HighConfidence ? badge('现在已能以高置信度找到此条目', 'ok') : null]
          : el('span', { class: 'muted', text: '没有' })),
      can('editor') ? el('div', { class: 'actions' },
        button('挂到条目', () => openAttach(c, work, status, card)),
        button('新建问答', () => openNewFaq(c, work, status, card)),
        button('忽略', () => { void dismiss(c, status, card); }, { kind: 'quiet' }),
        el('a', { class: 'button quiet', href: `#/hit-test?q=${encodeURIComponent(c.text)}`, text: '命中测试' })) : null,
      work, status);
    return card;
  }

  function resolved(card, status, ...children) {
    card.classList.add('resolved');
    for (const b of card.querySelectorAll('.actions button, .cluster-work button, .cluster-work input, .cluster-work textarea')) b.disabled = true;
    setNotice(status, 'ok', ...children);
    status.querySelector('.notice')?.focus?.();
  }

  /** Attach: an entry picker filled in with what retrieval suggests. */
  function openAttach(c, work, status, card) {
    const s = c.suggestedEntry;
    const picker = entryPicker('挂到哪个条目', '/entryId', { value: s?.entryId ?? null, title: s?.title ?? '', hint: '这一组的问法会加为该条目的问法（办事指南则加为别名），含个人信息的问法不会加入' });
    const confirm = el('button', { type: 'button', class: 'primary', text: '确认挂上' });
    const submit = async (force = false) => {
      const entryId = picker.read();
      if (!entryId) { setNotice(status, 'error', '请先选择条目'); picker.search.focus(); return; }
      confirm.disabled = true;
      try {
        const result = await api(`/inbox/${c.id}/attach`, { body: { entryId }, params: { ...range(), force: force ? 'true' : '' } });
        const title = result.entry.kind === 'faq' ? result.entry.question : result.entry.name;
        resolved(card, status,
          el('p', {}, `已把 ${result.added.length} 个问法加到 `, el('a', { href: `#/entry/${encodeURIComponent(result.id)}`, text: title }), `（v${result.version}${result.status === 'draft' ? '，草稿' : ''}）。`),
          result.added.length ? el('p', { class: 'small' }, '加入：', result.added.map((t) => el('span', { class: 'chip', text: t }))) : null,
          result.skipped.length ? el('p', { class: 'small' }, '未加入（已有或含个人信息）：', result.skipped.map((t) => el('span', { class: 'chip' }, maskedText(t)))) : null);
      } catch (error) {
        confirm.disabled = false;
        showError(error, status, () => submit(true));
      }
    };
    confirm.addEventListener('click', () => { void submit(); });
    clear(work, el('div', { class: 'panel' }, picker.node, el('div', { class: 'actions' }, confirm, button('取消', () => { clear(work); setNotice(status, 'info'); }))));
    (s ? confirm : picker.search).focus();
  }

  /** New FAQ: the most asked wording as the question, the others as alternates. */
  function openNewFaq(c, work, status, card) {
    const usable = c.examples.map((e) => e.text).filter((t) => !/\*{4,}/.test(t));
    const question = textField('问题', '/question', usable[0] ?? '', { required: true });
    const alternates = listField('其他问法', '/alternates', usable.slice(1), { itemLabel: '问法', addLabel: '添加问法' });
    const answer = textField('答案', '/answer', '', { multiline: true, rows: 5, required: true });
    const publish = el('select', { id: nextId('status') }, el('option', { value: 'published', text: '立即发布', selected: true }),
      el('option', { value: 'draft', text: '保存为草稿，请审核员发布' }));
    const save = el('button', { type: 'button', class: 'primary', text: '创建问答' });
    const submit = async (force = false) => {
      const body = { question: question.read(), alternates: alternates.read(), answer: answer.read(), status: publish.value };
      save.disabled = true;
      try {
        const result = await api(`/inbox/${c.id}/new-faq`, { body, params: { ...range(), force: force ? 'true' : '' } });
        resolved(card, status, el('p', {}, '已创建问答 ', el('a', { href: `#/entry/${encodeURIComponent(result.id)}`, text: result.entry.question }),
          `（v${result.version}${result.status === 'draft' ? '，草稿，待审核员发布' : '，已发布'}）。`));
      } catch (error) {
        save.disabled = false;
        showError(error, status, () => submit(true), work);
      }
    };
    save.addEventListener('click', () => { void submit(); });
    clear(work, el('div', { class: 'panel new-faq' }, question.node, alternates.node, answer.node,
      el('div', { class: 'field' }, el('label', { attrs: { for: publish.id }, text: '保存方式' }), publish),
      el('div', { class: 'actions' }, save, button('取消', () => { clear(work); setNotice(status, 'info'); }))));
    (usable[0] ? answer.control : question.control).focus();
  }

  async function dismiss(c, status, card) {
    try {
      await api(`/inbox/${c.id}/dismiss`, { method: 'POST', params: range() });
      resolved(card, status, '已忽略这一组问题。');
    } catch (error) {
      showError(error, status);
    }
  }

  async function loadSuggestions() {
    try {
      const data = await api('/suggestions');
      if (data.items.length === 0) { clear(suggestions, el('p', { class: 'empty', text: '暂无建议。' })); return; }
      clear(suggestions, table('建议的新问法', ['市民的说法', '建议加到', '次数', '最近', '操作'], data.items.map((sg) => {
        const status = el('div', { hidden: true });
        const decide = async (decision, force = false) => {
          try {
            const result = await api(`/suggestions/${sg.seq}/${decision}`, { method: 'POST', params: force ? { force: 'true' } : undefined });
            row.classList.add('resolved');
            for (const b of row.querySelectorAll('button')) b.disabled = true;
            setNotice(status, 'ok', decision === 'accept' ? (result.added.length ? `已加为问法（v${result.version}）` : '该条目已有这个问法') : '已拒绝');
          } catch (error) {
            showError(error, status, () => decide(decision, true));
          }
        };
        const row = el('tr', {},
          td(maskedText(sg.text)),
          td(el('a', { href: `#/entry/${encodeURIComponent(sg.entryId)}`, text: sg.title }), el('div', { class: 'muted small', text: `${KindLabels[sg.kind] ?? ''} ${sg.entryId}` })),
          td(String(sg.count)), td(when(sg.lastSeen)),
          td(can('editor') ? el('div', { class: 'row-actions' },
            button('接受', () => { void decide('accept'); }, { kind: 'primary', attrs: { 'aria-label': `接受“${sg.text}”为“${sg.title}”的问法` } }),
            button('拒绝', () => { void decide('reject'); }, { attrs: { 'aria-label': `拒绝“${sg.text}”` } })) : '—', status));
        return row;
      })));
    } catch (error) {
      clear(suggestions, el('div', { class: 'notice error', attrs: { role: 'alert' }, text: error.message }));
    }
  }

  await load();
}

/** Errors of the one-click actions, with the alternate-conflict warning and its deliberate way past. */
function showError(error, status, retryForced, root) {
  if (root) clearProblems(root);
  if (error instanceof ApiError && error.code === 'ALTERNATE_CONFLICT' && retryForced) {
    setNotice(status, 'error',
      el('p', { text: '有问法已能强匹配到其他条目，加上后两个条目会争同一个问法：' }),
      el('ul', {}, (error.body.conflicts ?? []).map((c) => el('li', {}, el('q', { text: c.text }), ' → ',
        el('a', { href: `#/entry/${encodeURIComponent(c.entryId)}`, text: c.title }), el('span', { class: 'muted small', text: ` 置信度 ${num(c.confidence)}` })))),
      button('仍然保存', () => { void retryForced(); }, { kind: 'danger' }));
    return;
  }
  const problems = error instanceof ApiError ? error.body.problems : null;
  if (root && problems?.length) showProblems(root, problems);
  setNotice(status, 'error', error.message, problems?.length ? el('ul', {}, problems.map((p) => el('li', { text: `${fieldName(p.field)}：${problemText(p.message)}` }))) : null);
}
