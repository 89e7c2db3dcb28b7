// Service analytics: conversations and turns per day and per channel, how
// questions were handled, what citizens ask about, satisfaction over time and
// the busiest hours, for a date range and channel; the same figures as CSV.
import { api, download } from './api.js';
import { setParams } from './app.js';
import { barList, columnChart, lineChart, shareBars } from './charts.js';
import { clear, el, nextId, percent, setNotice, table, td } from './dom.js';
import { FacetLabels } from './labels.js';

export const ChannelLabels = { web: '网页', kiosk: '自助终端', wechat: '微信', api: '接口', cli: '命令行' };
const channelName = (c) => ChannelLabels[c] ?? c;

/** Local day (the browser's) as YYYY-MM-DD. */
function isoDay(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

function daysBetween(from, to) {
  const days = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && days.length < 370; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const short = (day) => day.slice(5);

export async function render(main, route) {
  const p = route.params;
  const fromInput = el('input', { type: 'date', id: nextId('from'), value: p.get('from') ?? isoDay(new Date(Date.now() - 29 * 86_400_000)) });
  // Empty: through today as the server counts days (its reporting time zone, which may
  // already be tomorrow, or still yesterday, in this browser's).
  const toInput = el('input', { type: 'date', id: nextId('to'), value: p.get('to') ?? '' });
  const channel = el('select', { id: nextId('channel') }, el('option', { value: '', text: '全部渠道' }));
  const message = el('div', { hidden: true });
  const body = el('div', { class: 'analytics', attrs: { 'aria-live': 'polite' } });
  const csv = el('button', { type: 'button', text: '导出 CSV', on: { click: async () => {
    try {
      await download('/analytics.csv', query());
    } catch (error) {
      setNotice(message, 'error', error.message);
    }
  } } });
  const form = el('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); void load(); } } },
    el('div', { class: 'field' }, el('label', { attrs: { for: fromInput.id }, text: '开始日期' }), fromInput),
    el('div', { class: 'field' }, el('label', { attrs: { for: toInput.id }, text: '结束日期（留空为今天）' }), toInput),
    el('div', { class: 'field' }, el('label', { attrs: { for: channel.id }, text: '渠道' }), channel),
    el('div', { class: 'field submit' }, el('button', { type: 'submit', class: 'primary', text: '查看' })),
    el('div', { class: 'field submit' }, csv));

  clear(main, el('div', { class: 'page-head' }, el('h1', { text: '服务统计', attrs: { tabindex: '-1' } })),
    el('p', { class: 'lead', text: '来自已脱敏的对话记录；命中测试和批量测试不计入。日期按本地时间。' }),
    form, message, body);

  const wanted = p.get('channel') ?? '';
  let channelsKnown = false;

  function query() {
    return { from: fromInput.value, to: toInput.value, channel: channel.value };
  }

  async function load() {
    const q = query();
    if (q.from && q.to && q.from > q.to) { setNotice(message, 'error', '开始日期不能晚于结束日期'); fromInput.focus(); return; }
    setParams(q);
    setNotice(message, 'info');
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await api('/analytics', { params: q });
      if (!channelsKnown) {
        // The channel list comes from an unfiltered answer, so a filtered view can still switch.
        const all = q.channel ? await api('/analytics', { params: { ...q, channel: '' } }) : data;
        for (const c of all.byChannel) channel.append(el('option', { value: c.channel, text: channelName(c.channel) }));
        if (wanted && !all.byChannel.some((c) => c.channel === wanted)) channel.append(el('option', { value: wanted, text: channelName(wanted) }));
        channel.value = q.channel;
        channelsKnown = true;
      }
      // Per-day figures per channel: one filtered answer each (the API gives per-day totals only).
      const perChannel = !q.channel && data.byChannel.length > 1 && data.byChannel.length <= 6
        ? await Promise.all(data.byChannel.map(async (c) => ({ channel: c.channel, data: await api('/analytics', { params: { ...q, channel: c.channel } }) })))
        : [];
      draw(data, q, perChannel);
    } catch (error) {
      clear(body);
      setNotice(message, 'error', error.message);
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  function draw(a, q, perChannel) {
    const reportToday = new Date(Date.now() + a.range.timezoneOffsetMinutes * 60_000).toISOString().slice(0, 10);
    const days = daysBetween(q.from || a.byDay[0]?.day || reportToday, q.to || reportToday);
    const byDay = new Map(a.byDay.map((d) => [d.day, d]));
    const t = a.totals;
    const summary = el('div', { class: 'stats' },
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: String(t.conversations) }), el('span', { class: 'stat-label', text: '会话' })),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: String(t.turns) }), el('span', { class: 'stat-label', text: '轮次' })),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: percent(t.rates.answered) }), el('span', { class: 'stat-label', text: '直接回答' })),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: percent(t.rates.clarified) }), el('span', { class: 'stat-label', text: '追问澄清' })),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: percent(t.rates.fallback) }), el('span', { class: 'stat-label', text: '无法回答' })),
      el('div', { class: 'stat' }, el('span', { class: 'stat-value', text: percent(t.rates.handoff) }), el('span', { class: 'stat-label', text: '转人工' })));

    if (t.turns === 0) {
      clear(body, summary, el('p', { class: 'empty', text: '这段时间没有对话记录。' }));
      return;
    }

    const charts = [];
    charts.push(columnChart({
      id: 'chart-daily', title: '每日会话与轮次', description: `${days[0]} 至 ${days[days.length - 1]}，每天的会话数和对话轮次`,
      categories: days.map(short),
      series: [
        { name: '会话', values: days.map((d) => byDay.get(d)?.conversations ?? 0), tone: 0 },
        { name: '轮次', values: days.map((d) => byDay.get(d)?.turns ?? 0), tone: 1 },
      ],
    }));
    if (perChannel.length) {
      charts.push(columnChart({
        id: 'chart-daily-channel', title: '每日轮次（按渠道）', description: '每天各渠道的对话轮次，堆叠显示', stacked: true,
        categories: days.map(short),
        series: perChannel.map((c, i) => {
          const map = new Map(c.data.byDay.map((d) => [d.day, d.turns]));
          return { name: channelName(c.channel), values: days.map((d) => map.get(d) ?? 0), tone: i };
        }),
      }));
    }
    charts.push(columnChart({
      id: 'chart-channels', title: '各渠道会话与轮次', description: '每个渠道的会话数和对话轮次',
      categories: a.byChannel.map((c) => channelName(c.channel)),
      series: [
        { name: '会话', values: a.byChannel.map((c) => c.conversations), tone: 0 },
        { name: '轮次', values: a.byChannel.map((c) => c.turns), tone: 1 },
      ],
    }));
    charts.push(shareBars({
      id: 'chart-outcomes', title: '问题处理结果', description: '直接回答、追问澄清、无法回答、转人工各占的比例，全部及各渠道',
      rows: [{ label: '全部', values: t }, ...a.byChannel.map((c) => ({ label: channelName(c.channel), values: c }))],
      parts: [
        { key: 'answered', name: '直接回答', tone: 2 }, { key: 'clarified', name: '追问澄清', tone: 3 },
        { key: 'fallback', name: '无法回答', tone: 4 }, { key: 'handoff', name: '转人工', tone: 5 },
      ],
    }));
    charts.push(a.topEntries.length ? barList({
      id: 'chart-top', title: '回答最多的条目', description: '按回答次数排列的前 20 个事项和问答',
      items: a.topEntries.slice(0, 12).map((e) => ({ label: e.title, value: e.count })), tone: 0,
    }) : el('p', { class: 'muted', text: '这段时间没有回答任何条目。' }));
    charts.push(a.facets.length ? barList({
      id: 'chart-facets', title: '市民问的方面', description: '回答中各方面（材料、费用、地点等）的次数',
      items: a.facets.map((f) => ({ label: FacetLabels[f.facet] ?? f.facet, value: f.count })), tone: 1, labelWidth: 140,
    }) : el('p', { class: 'muted', text: '这段时间没有按方面回答的问题。' }));
    const ratingsByDay = new Map(a.satisfaction.map((s) => [s.day, s]));
    charts.push(a.satisfaction.length ? columnChart({
      id: 'chart-satisfaction', title: '满意度评价（每日）', description: '每天收到的满意、基本满意、不满意评价数', stacked: true,
      categories: days.map(short),
      series: [
        { name: '满意', values: days.map((d) => ratingsByDay.get(d)?.counts['满意'] ?? 0), tone: 2 },
        { name: '基本满意', values: days.map((d) => ratingsByDay.get(d)?.counts['基本满意'] ?? 0), tone: 3 },
        { name: '不满意', values: days.map((d) => ratingsByDay.get(d)?.counts['不满意'] ?? 0), tone: 4 },
      ],
    }) : el('figure', { class: 'chart-figure empty-chart' }, el('figcaption', { text: '满意度评价（每日）' }), el('p', { class: 'muted', text: '这段时间没有收到评价。' })));
    if (a.satisfaction.length) {
      charts.push(lineChart({
        id: 'chart-satisfaction-rate', title: '满意率（满意＋基本满意）', description: '每天评价中满意和基本满意所占比例', max: 1, format: (v) => percent(v, 0),
        categories: days.map(short),
        series: [{ name: '满意率', values: days.map((d) => { const s = ratingsByDay.get(d); return s && s.total ? (s.counts['满意'] + s.counts['基本满意']) / s.total : null; }), tone: 2 }],
      }));
    }
    charts.push(columnChart({
      id: 'chart-hours', title: '各时段轮次', description: '一天 24 小时里每个小时的对话轮次（本地时间）',
      categories: a.busiestHours.map((h) => `${String(h.hour).padStart(2, '0')}时`),
      series: [{ name: '轮次', values: a.busiestHours.map((h) => h.turns), tone: 1 }], labelRoom: 12,
    }));

    clear(body, summary, el('div', { class: 'charts' }, charts),
      el('h2', { text: '问得最多的问题' }),
      a.topQuestions.length ? table('问得最多的问题（已脱敏）', ['问题', '次数', ''], a.topQuestions.map((qq) => el('tr', {}, td(qq.text), td(String(qq.count)),
        td(el('a', { href: `#/hit-test?q=${encodeURIComponent(qq.text)}`, text: '命中测试' }))))) : el('p', { class: 'muted', text: '无' }));
  }

  await load();
}
