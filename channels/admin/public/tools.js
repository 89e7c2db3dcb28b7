// The staff tools: the hit test (what retrieval makes of a wording, stage by
// stage, and what the citizen would be told), the batch test from a sheet of
// questions, and import (preview, then confirm) and export.
import { api, ApiError, can, download } from './api.js';
import { setParams } from './app.js';
import { badge, clear, el, nextId, num, percent, readFileInput, setNotice, table, td } from './dom.js';
import { KindLabels } from './entries.js';
import { FacetLabels, fieldName, problemText, ReplyKindLabels } from './labels.js';

function field(label, control, hint) {
  control.id ||= nextId('tool');
  const hintNode = hint ? el('p', { class: 'hint', id: nextId('hint'), text: hint }) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return el('div', { class: 'field' }, el('label', { attrs: { for: control.id }, text: label }), hintNode, control);
}

function stat(label, value, hint) {
  return el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: value }), el('span', { class: 'stat-label', text: label }), hint ? el('span', { class: 'muted small', text: hint }) : null);
}

function entryLink(id, title) {
  return id ? el('a', { href: `#/entry/${encodeURIComponent(id)}`, text: title ?? id }) : el('span', { class: 'muted', text: '—' });
}

// ---------------------------------------------------------------- hit test

export async function renderHitTest(main, route) {
  const text = el('textarea', { rows: 2, value: route.params.get('q') ?? '', placeholder: '例如：办护照要带什么材料', attrs: { maxlength: 1000 } });
  const bm25 = el('input', { type: 'checkbox', checked: true, id: nextId('stage') });
  const dense = el('input', { type: 'checkbox', checked: true, id: nextId('stage') });
  const k = el('input', { type: 'number', value: '10', attrs: { min: 1, max: 50 } });
  const message = el('div', { hidden: true });
  const result = el('div', { class: 'hit-result', attrs: { 'aria-live': 'polite' } });
  const form = el('form', { class: 'tool-form', on: { submit: (e) => { e.preventDefault(); void run(); } } },
    field('市民的问题', text, '按市民的原话输入；按 Ctrl+Enter 运行'),
    el('fieldset', { class: 'inline' }, el('legend', { text: '检索阶段' }),
      el('span', { class: 'choice' }, bm25, el('label', { attrs: { for: bm25.id }, text: '关键词（BM25）' })),
      el('span', { class: 'choice' }, dense, el('label', { attrs: { for: dense.id }, text: '语义向量' }))),
    field('候选数', k),
    el('div', { class: 'field submit' }, el('button', { type: 'submit', class: 'primary', text: '测试' })));
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void run(); } });

  clear(main, el('div', { class: 'page-head' }, el('h1', { text: '命中测试', attrs: { tabindex: '-1' } })),
    el('p', { class: 'lead', text: '输入一个问题，看检索各阶段的排名和得分、识别出的方面、置信度，以及市民会收到的回复。测试不计入统计和未答问题。' }),
    form, message, result);

  async function run() {
    const question = text.value.trim();
    if (!question) { setNotice(message, 'error', '请输入问题'); text.focus(); return; }
    const stages = [bm25.checked ? 'bm25' : null, dense.checked ? 'dense' : null].filter(Boolean);
    if (stages.length === 0) { setNotice(message, 'error', '请至少选择一个检索阶段'); bm25.focus(); return; }
    setParams({ q: question });
    setNotice(message, 'info');
    result.setAttribute('aria-busy', 'true');
    try {
      const data = await api('/hit-test', { body: { text: question, ...(stages.length < 2 ? { stages } : {}), k: Math.min(50, Math.max(1, Number(k.value) || 10)) } });
      showHit(result, data);
    } catch (error) {
      clear(result);
      setNotice(message, 'error', error.message);
    } finally {
      result.removeAttribute('aria-busy');
    }
  }
  if (text.value.trim()) await run();
  else text.focus();
}

function stageCell(stage) {
  return stage ? el('span', {}, el('strong', { text: `#${stage.rank}` }), ` ${num(stage.score)}`) : el('span', { class: 'muted', text: '未召回' });
}

function showHit(container, data) {
  const q = data.query;
  const reply = data.reply;
  const analysis = el('dl', { class: 'facts' },
    el('dt', { text: '原文' }), el('dd', { text: q.original }),
    el('dt', { text: '规范化' }), el('dd', { text: q.normalized }),
    el('dt', { text: '字体' }), el('dd', { text: q.script === 'traditional' ? '繁体' : q.script === 'simplified' ? '简体' : q.script }),
    el('dt', { text: '识别的方面' }), el('dd', {}, q.facet ? badge(FacetLabels[q.facet] ?? q.facet, 'info') : el('span', { class: 'muted', text: '未识别（问事项整体）' }),
      q.cue ? el('span', { class: 'muted', text: ` 依据“${q.cue}”` }) : null),
    el('dt', { text: '分词' }), el('dd', { class: 'tokens' }, q.tokens.map((t) => el('span', { class: 'chip', text: t }))));

  const confidence = el('div', { class: 'confidence' },
    el('span', { class: 'stat-label', text: '置信度' }),
    el('meter', { min: 0, max: 1, low: 0.5, high: 0.8, optimum: 1, value: data.confidence, attrs: { 'aria-label': '置信度' } }),
    el('strong', { class: 'confidence-value', text: num(data.confidence) }));

  const rows = data.candidates.map((c, i) => el('tr', { class: i === 0 ? 'top' : undefined },
    td(String(i + 1)),
    td(entryLink(c.entryId, c.title), el('div', { class: 'muted small', text: c.entryId })),
    td(KindLabels[c.kind] ?? '—'),
    td(num(c.score, 4)),
    td(stageCell(c.stages.bm25)),
    td(stageCell(c.stages.dense))));

  const replyBox = el('div', { class: 'reply-preview' },
    el('p', {}, badge(ReplyKindLabels[reply.kind] ?? reply.kind, reply.kind === 'answer' || reply.kind === 'guide' ? 'ok' : reply.kind === 'fallback' ? 'danger' : 'warn'),
      reply.entryId ? [' 来自 ', entryLink(reply.entryId, data.candidates.find((c) => c.entryId === reply.entryId)?.title)] : null,
      reply.facet ? [' · ', FacetLabels[reply.facet] ?? reply.facet] : null),
    el('div', { class: 'bubble', text: reply.text }),
    reply.quickReplies?.length ? el('p', { class: 'quick' }, reply.quickReplies.map((r) => el('span', { class: 'chip', text: r }))) : null);

  clear(container,
    el('div', { class: 'hit-grid' },
      el('section', { attrs: { 'aria-labelledby': 'hit-analysis' } }, el('h2', { id: 'hit-analysis', text: '问题分析' }), analysis, confidence),
      el('section', { attrs: { 'aria-labelledby': 'hit-reply' } }, el('h2', { id: 'hit-reply', text: '市民会收到的回复' }), replyBox)),
    el('h2', { text: '候选条目' }),
    data.candidates.length === 0 ? el('p', { class: 'muted', text: '没有召回任何条目。' })
      : table('候选条目，按融合得分排序', ['排名', '条目', '类型', '融合得分', '关键词 名次/得分', '语义 名次/得分'], rows, { className: 'grid candidates' }),
    el('p', { class: 'muted small', text: `耗时：${Object.entries(data.timings ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(1) : v} ms`).join('，')}` }));
}

// ---------------------------------------------------------------- batch test

const ReasonLabels = {
  wrong: '答错', clarified: '追问了', missed: '没答到', facet: '方面不对', out_of_scope_answered: '范围外的问题却作答了', correct: '正确',
};

export async function renderBatch(main) {
  const file = el('input', { type: 'file', attrs: { accept: '.jsonl,.csv,.txt,.json' } });
  const pasted = el('textarea', { rows: 6, placeholder: 'question,expected_entry_id\n孩子多大可以办身份证,demo-faq-001' });
  const format = el('select', {}, [['', '按文件判断'], ['jsonl', 'JSON Lines'], ['csv', 'CSV']].map(([v, t]) => el('option', { value: v, text: t })));
  const message = el('div', { hidden: true });
  const result = el('div', { attrs: { 'aria-live': 'polite' } });
  const runButton = el('button', { type: 'submit', class: 'primary', text: '运行批量测试' });
  const form = el('form', { class: 'tool-form', on: { submit: (e) => { e.preventDefault(); void run(); } } },
    field('测试文件', file, 'CSV：问题,期望条目编号[,期望方面]，多个可接受的编号用 | 分隔，编号留空表示应拒答；或评测用的 JSON Lines'),
    field('或直接粘贴', pasted),
    field('格式', format),
    el('div', { class: 'field submit' }, runButton));

  clear(main, el('div', { class: 'page-head' }, el('h1', { text: '批量测试', attrs: { tabindex: '-1' } })),
    el('p', { class: 'lead', text: '上传一批问题和期望的条目，看现在的知识库答对多少、错在哪里。测试不计入统计和未答问题。' }),
    can('editor') ? form : el('div', { class: 'notice warn', text: '运行批量测试需要编辑或以上角色。' }), message, result);

  async function run() {
    const chosen = await readFileInput(file);
    const text = pasted.value.trim();
    if (!chosen && !text) { setNotice(message, 'error', '请选择文件或粘贴测试用例'); file.focus(); return; }
    const name = chosen?.name ?? '';
    const kind = format.value || (/\.csv$/i.test(name) ? 'csv' : chosen ? 'jsonl' : /^\s*[{[]/.test(text) ? 'jsonl' : 'csv');
    setNotice(message, 'info', '正在运行，用例多时需要一些时间…');
    runButton.disabled = true;
    result.setAttribute('aria-busy', 'true');
    try {
      const report = await api('/batch-test', {
        raw: chosen ? chosen.bytes : text, contentType: kind === 'csv' ? 'text/csv' : 'application/x-ndjson', params: { format: kind },
      });
      setNotice(message, 'info');
      // The report has no count of multi-turn turns; JSON Lines cases with "turns" are the only multi-turn kind.
      const source = chosen ? new TextDecoder().decode(chosen.bytes) : text;
      showReport(result, report, kind === 'jsonl' && /"turns"\s*:/.test(source));
    } catch (error) {
      clear(result);
      setNotice(message, 'error', error.message);
    } finally {
      runButton.disabled = false;
      result.removeAttribute('aria-busy');
    }
  }
}

function expectedText(expected) {
  if (!expected) return '—';
  if (expected.none) return '应拒答（范围外）';
  return [(expected.entries ?? []).join(' 或 '), expected.facet ? `方面：${FacetLabels[expected.facet] ?? expected.facet}` : ''].filter(Boolean).join('；');
}

function showReport(container, r, hasMultiTurn) {
  // A rate over no cases is not 0%: say there was nothing to measure.
  const over = (rate, n) => (n > 0 ? percent(rate) : '—');
  const faceted = Object.values(r.byFacet ?? {}).reduce((sum, b) => sum + b.turns, 0);
  const figures = el('div', { class: 'stats' },
    stat('准确率', percent(r.accuracy), `${r.counts?.correct ?? 0} / ${r.turns} 轮`),
    stat('答错率', percent(r.wrongRate)),
    stat('追问率', percent(r.clarifyRate)),
    stat('前三命中', percent(r.top3)),
    stat('MRR', num(r.mrr)),
    stat('方面准确率', over(r.facetAccuracy, faceted), faceted ? `${faceted} 轮有期望方面` : '没有期望方面的用例'),
    stat('范围外拒答', over(r.oosPass, r.counts?.outOfScope ?? 0), `${r.counts?.outOfScopePassed ?? 0} / ${r.counts?.outOfScope ?? 0}`),
    stat('多轮准确率', hasMultiTurn ? percent(r.multiTurnAccuracy) : '—', hasMultiTurn ? null : '没有多轮用例'),
    el('div', { class: 'stat' }, el('span', { class: 'stat-value smaller', text: `${Math.round(r.latencyMs?.p50 ?? 0)} / ${Math.round(r.latencyMs?.p95 ?? 0)} ms` }), el('span', { class: 'stat-label', text: '耗时 p50 / p95' })));
  const facets = Object.entries(r.byFacet ?? {});
  const failures = r.failures ?? [];
  clear(container,
    el('h2', { text: `结果：${r.cases} 个用例，${r.turns} 轮计分` }), figures,
    facets.length ? table('按方面', ['方面', '轮数', '准确率', '前三命中'], facets.map(([f, b]) => el('tr', {}, td(FacetLabels[f] ?? f), td(String(b.turns)), td(percent(b.accuracy)), td(percent(b.top3))))) : null,
    el('h2', { text: `未通过（${failures.length}）` }),
    failures.length === 0 ? el('p', { class: 'notice ok', text: '全部通过。' }) : table('未通过的用例', ['用例', '问题', '期望', '实际', '原因', ''], failures.map((f) => el('tr', {},
      td(f.id, f.turn > 1 ? el('div', { class: 'muted small', text: `第 ${f.turn} 轮` }) : null),
      td(f.query),
      td(expectedText(f.expected)),
      td(badge(ReplyKindLabels[f.got?.kind] ?? f.got?.kind ?? '—'), ' ', f.got?.entryId ? entryLink(f.got.entryId) : el('span', { class: 'muted', text: '无条目' }),
        f.got?.facet ? el('div', { class: 'muted small', text: FacetLabels[f.got.facet] ?? f.got.facet }) : null),
      td(ReasonLabels[f.reason] ?? f.reason),
      td(el('a', { href: `#/hit-test?q=${encodeURIComponent(f.query)}`, text: '命中测试' }))))));
}

// ---------------------------------------------------------------- import and export

const Formats = [['', '按文件判断'], ['faq-csv', '问答表 CSV'], ['faq-xlsx', '问答表 Excel（xlsx）'], ['banshi-json', '办事 JSON'], ['gd-matters', '广东办事指南 JSON Lines'], ['tpe-faq', '台北问答 XML']];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ActionNames = { create: '新建', update: '更新', unchanged: '无变化' };

function formatOf(name, chosen) {
  if (chosen) return chosen;
  if (/\.csv$/i.test(name)) return 'faq-csv';
  if (/\.xlsx$/i.test(name)) return 'faq-xlsx';
  if (/\.json$/i.test(name)) return 'banshi-json';
  if (/\.jsonl$/i.test(name)) return 'gd-matters';
  if (/\.xml$/i.test(name)) return 'tpe-faq';
  return null;
}

function upload(format, bytes) {
  // The two sheet types by Content-Type; the rest as bytes with ?format=, which the staff API reads raw.
  if (format === 'faq-csv') return { raw: bytes, contentType: 'text/csv', params: { format } };
  if (format === 'faq-xlsx') return { raw: bytes, contentType: XLSX, params: { format } };
  return { raw: bytes, contentType: 'application/octet-stream', params: { format } };
}

export async function renderImport(main) {
  const file = el('input', { type: 'file', attrs: { accept: '.csv,.xlsx,.json,.jsonl,.xml' } });
  const format = el('select', {}, Formats.map(([v, t]) => el('option', { value: v, text: t })));
  const message = el('div', { hidden: true });
  const preview = el('div', { attrs: { 'aria-live': 'polite' } });
  const previewButton = el('button', { type: 'submit', class: 'primary', text: '预检' });
  const form = el('form', { class: 'tool-form', on: { submit: (e) => { e.preventDefault(); void runPreview(); } } },
    field('导入文件', file, '问答表的列：id, question, alternates（用 | 分隔）, answer, tags …；先预检，确认无误后再导入'),
    field('格式', format),
    el('div', { class: 'field submit' }, previewButton));
  file.addEventListener('change', () => { clear(preview); setNotice(message, 'info'); });

  const exportMessage = el('div', { hidden: true });
  const exporter = (label, fmt) => el('button', { type: 'button', text: label, on: { click: async (e) => {
    const b = e.currentTarget;
    b.disabled = true;
    try {
      const saved = await download('/export', { format: fmt });
      const count = saved.headers.get('x-export-count');
      const skipped = Number(saved.headers.get('x-export-skipped') ?? 0);
      setNotice(exportMessage, 'ok', `已下载 ${saved.name}${count ? `，${count} 条` : ''}${skipped ? `（问答表不含办事指南，略过 ${skipped} 条）` : ''}`);
    } catch (error) {
      setNotice(exportMessage, 'error', error.message);
    } finally {
      b.disabled = false;
    }
  } } });

  clear(main, el('div', { class: 'page-head' }, el('h1', { text: '导入与导出', attrs: { tabindex: '-1' } })),
    el('section', { attrs: { 'aria-labelledby': 'import-title' } }, el('h2', { id: 'import-title', text: '导入' }),
      can('editor') ? form : el('p', { class: 'notice warn', text: '预检导入文件需要编辑或以上角色。' }), message, preview),
    el('section', { attrs: { 'aria-labelledby': 'export-title' } }, el('h2', { id: 'export-title', text: '导出' }),
      el('div', { class: 'actions' }, exporter('导出问答表 CSV', 'csv'), exporter('导出问答表 Excel', 'xlsx'), exporter('导出全部条目 JSON', 'json')),
      el('p', { class: 'hint', text: 'CSV 与 Excel 只含问答，可修改后再导入；JSON 含全部条目。' }), exportMessage));

  async function runPreview() {
    const chosen = await readFileInput(file);
    if (!chosen) { setNotice(message, 'error', '请选择文件'); file.focus(); return; }
    const fmt = formatOf(chosen.name, format.value);
    if (!fmt) { setNotice(message, 'error', '无法从文件名判断格式，请选择格式'); format.focus(); return; }
    previewButton.disabled = true;
    setNotice(message, 'info', '正在预检…');
    try {
      const report = await api('/import/preview', upload(fmt, chosen.bytes));
      setNotice(message, 'info');
      showPreview(report, chosen, fmt);
    } catch (error) {
      clear(preview);
      setNotice(message, 'error', error.message);
    } finally {
      previewButton.disabled = false;
    }
  }

  function showPreview(report, chosen, fmt) {
    const s = report.summary;
    const importButton = el('button', { type: 'button', class: 'primary', text: `确认导入 ${s.create + s.update} 条`, disabled: s.create + s.update === 0 });
    const done = el('div', { hidden: true });
    importButton.addEventListener('click', async () => {
      importButton.disabled = true;
      try {
        const result = await api('/import', upload(fmt, chosen.bytes));
        setNotice(done, 'ok', `导入完成：新建 ${result.created}，更新 ${result.updated}，无变化 ${result.unchanged}，拒绝 ${result.rejected}。`);
        importButton.hidden = true;
      } catch (error) {
        importButton.disabled = false;
        setNotice(done, 'error', error instanceof ApiError && error.status === 403 ? `${error.message}` : error.message);
      }
    });
    clear(preview,
      el('h3', { text: `预检结果：${chosen.name}` }),
      el('div', { class: 'stats' }, stat('行数', String(s.rows)), stat('新建', String(s.create)), stat('更新', String(s.update)), stat('无变化', String(s.unchanged)), stat('有问题', String(s.rejected))),
      report.problems.length ? el('div', {},
        el('h4', { text: `有问题的行（${report.problems.length}），不会导入` }),
        table('有问题的行', ['位置', '编号', '问题'], report.problems.map((p) => el('tr', { class: 'is-problem' }, td(place(p.location)), td(p.id ?? '—'), td(humanReason(p.reason)))))) : null,
      report.rows.length ? el('div', {},
        el('h4', { text: '逐行结果' }),
        table('逐行结果', ['位置', '编号', '标题', '操作', '变化的字段'], report.rows.map((r) => el('tr', { class: `action-${r.action}` },
          td(place(r.location)), td(r.id), td(r.title), td(ActionNames[r.action] ?? r.action, r.deleted ? badge('已删除，导入后仍为删除', 'warn') : null),
          td((r.fields ?? []).map((f) => fieldName(`/${f}`)).join('、') || '—'))))) : null,
      el('div', { class: 'actions' }, can('reviewer') ? importButton : el('p', { class: 'notice warn', text: '导入需要审核员或以上角色：请把预检结果交给审核员。' })),
      done);
  }
}

/** "line 3" → "第 3 行". */
function place(location) {
  return String(location).replace(/^line (\d+)$/, '第 $1 行').replace(/^row (\d+)$/, '第 $1 行');
}

/** "/question Expected string length …; /answer …" → "问题：不能为空；答案：…". */
function humanReason(reason) {
  return String(reason).split(/;\s*/).map((part) => {
    const match = /^(\/[^\s]*)\s+(.*)$/.exec(part);
    return match ? `${fieldName(match[1])}：${problemText(match[2])}` : part;
  }).join('；');
}
