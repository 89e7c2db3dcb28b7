// Charts drawn here as inline SVG, no library and nothing fetched: vertical bars
// (grouped or stacked), horizontal bars and lines. Every chart is a figure with
// a caption, an SVG labelled for screen readers, and its numbers as a table.
import { el } from './dom.js';

const W = 640;

function svg(tag, attrs = {}, ...children) {
  return el(`svg:${tag}`, { attrs }, ...children);
}

/** 0, 1, 2, 5, 10, 20, 50 … : a round top for the axis and a few ticks under it. */
function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  // Counts get whole-number steps: an axis at 2.5 conversations reads oddly.
  const steps = (Number.isInteger(max) ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => m * power);
  const step = steps.find((s) => s >= raw) ?? 10 * power;
  const rounded = Number.isInteger(max) && step < 1 ? 1 : step;
  return { top: Math.ceil(max / rounded) * rounded, step: rounded };
}

function fmt(value, format) {
  return format ? format(value) : String(Math.round(value * 100) / 100);
}

function legend(series) {
  return el('ul', { class: 'legend' }, series.map((s, i) => el('li', {}, el('span', { class: `swatch series-${s.tone ?? i}`, attrs: { 'aria-hidden': 'true' } }), s.name)));
}

function dataTable(caption, categories, series, format) {
  return el('details', { class: 'chart-data' }, el('summary', { text: '查看数据' }),
    el('table', { class: 'grid compact' }, el('caption', { class: 'visually-hidden', text: caption }),
      el('thead', {}, el('tr', {}, el('th', { attrs: { scope: 'col' }, text: '' }), series.map((s) => el('th', { attrs: { scope: 'col' }, text: s.name })))),
      el('tbody', {}, categories.map((c, i) => el('tr', {}, el('th', { attrs: { scope: 'row' }, text: c }), series.map((s) => el('td', { text: fmt(s.values[i] ?? 0, format) })))))));
}

function figure(id, title, description, chart, extra) {
  return el('figure', { class: 'chart-figure', dataset: { chart: id } },
    el('figcaption', { id: `${id}-caption`, text: title }), chart, ...extra);
}

function frame(id, title, description, height) {
  return svg('svg', {
    class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, preserveAspectRatio: 'xMidYMid meet',
  }, svg('title', { id: `${id}-title` }, title), svg('desc', { id: `${id}-desc` }, description));
}

/** Which category labels to print when there are too many to fit: every n-th (the data table has them all). */
function labelEvery(count, room) {
  return Math.max(1, Math.ceil(count / room));
}

/**
 * Vertical bars over categories (days, hours, channels). `stacked` piles the
 * series; otherwise they stand side by side.
 */
export function columnChart({ id, title, description, categories, series, stacked = false, height = 240, format, labelRoom = 12 }) {
  const left = 44; const right = 8; const top = 12; const bottom = 34;
  const plotW = W - left - right; const plotH = height - top - bottom;
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = stacked ? Math.max(0, ...totals) : Math.max(0, ...series.flatMap((s) => s.values));
  const scale = niceScale(max);
  const chart = frame(id, title, description, height);
  const grid = svg('g', { class: 'grid-lines' });
  for (let v = 0; v <= scale.top + 1e-9; v += scale.step) {
    const y = top + plotH - (v / scale.top) * plotH;
    grid.append(svg('line', { x1: left, x2: W - right, y1: y, y2: y }), svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, fmt(v, format)));
  }
  chart.append(grid);
  const band = plotW / Math.max(1, categories.length);
  const gap = Math.min(8, band * 0.2);
  const bars = svg('g', { class: 'bars' });
  const every = labelEvery(categories.length, labelRoom);
  categories.forEach((category, i) => {
    const x0 = left + i * band + gap / 2;
    const width = band - gap;
    let stackBase = 0;
    series.forEach((s, j) => {
      const value = s.values[i] ?? 0;
      const h = (value / scale.top) * plotH;
      const x = stacked ? x0 : x0 + (width / series.length) * j;
      const w = stacked ? width : width / series.length;
      const y = top + plotH - h - (stacked ? (stackBase / scale.top) * plotH : 0);
      stackBase += stacked ? value : 0;
      if (value > 0) {
        bars.append(svg('rect', { class: `bar series-${s.tone ?? j}`, x: x.toFixed(2), y: y.toFixed(2), width: Math.max(1, w - (stacked ? 0 : 1)).toFixed(2), height: Math.max(0.5, h).toFixed(2), 'data-value': value },
          svg('title', {}, `${category} · ${s.name}：${fmt(value, format)}`)));
      }
    });
    if (i % every === 0) {
      bars.append(svg('text', { x: (left + i * band + band / 2).toFixed(2), y: height - bottom + 16, 'text-anchor': 'middle', class: 'axis' }, category));
    }
  });
  chart.append(bars, svg('line', { class: 'baseline', x1: left, x2: W - right, y1: top + plotH, y2: top + plotH }));
  return figure(id, title, description, chart, [series.length > 1 ? legend(series) : null, dataTable(title, categories, series, format)]);
}

/** Lines over categories (days): one per series, with a dot per point. */
export function lineChart({ id, title, description, categories, series, height = 240, format, max: fixedMax, labelRoom = 10 }) {
  const left = 44; const right = 12; const top = 12; const bottom = 34;
  const plotW = W - left - right; const plotH = height - top - bottom;
  const scale = fixedMax ? { top: fixedMax, step: fixedMax / 4 } : niceScale(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null))));
  const chart = frame(id, title, description, height);
  const grid = svg('g', { class: 'grid-lines' });
  for (let v = 0; v <= scale.top + 1e-9; v += scale.step) {
    const y = top + plotH - (v / scale.top) * plotH;
    grid.append(svg('line', { x1: left, x2: W - right, y1: y, y2: y }), svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, fmt(v, format)));
  }
  chart.append(grid);
  const step = categories.length > 1 ? plotW / (categories.length - 1) : 0;
  const xOf = (i) => left + (categories.length > 1 ? i * step : plotW / 2);
  const yOf = (v) => top + plotH - (v / scale.top) * plotH;
  series.forEach((s, j) => {
    const tone = s.tone ?? j;
    const points = s.values.map((v, i) => (v === null || v === undefined ? null : [xOf(i), yOf(v)]));
    // Gaps (days without data for a rate) break the line instead of dropping it to zero.
    const path = points.reduce((d, p, i) => (p ? `${d}${d && points[i - 1] ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)} ` : d), '');
    const g = svg('g', { class: `line series-${tone}` });
    if (path) g.append(svg('path', { d: path.trim(), class: 'line-path' }));
    points.forEach((p, i) => {
      if (p) g.append(svg('circle', { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 3, class: 'point', 'data-value': s.values[i] }, svg('title', {}, `${categories[i]} · ${s.name}：${fmt(s.values[i], format)}`)));
    });
    chart.append(g);
  });
  const every = labelEvery(categories.length, labelRoom);
  const labels = svg('g', {});
  categories.forEach((c, i) => {
    if (i % every === 0) labels.append(svg('text', { x: xOf(i).toFixed(1), y: height - bottom + 16, 'text-anchor': 'middle', class: 'axis' }, c));
  });
  chart.append(labels, svg('line', { class: 'baseline', x1: left, x2: W - right, y1: top + plotH, y2: top + plotH }));
  return figure(id, title, description, chart, [series.length > 1 ? legend(series) : null,
    dataTable(title, categories, series.map((s) => ({ ...s, values: s.values.map((v) => v ?? 0) })), format)]);
}

/** Horizontal bars, longest first: top entries, facets. */
export function barList({ id, title, description, items, format, tone = 0, labelWidth = 220 }) {
  const row = 26; const top = 6; const right = 48;
  const height = top * 2 + Math.max(1, items.length) * row;
  const max = Math.max(1, ...items.map((i) => i.value));
  const chart = frame(id, title, description, height);
  const plotW = W - labelWidth - right;
  items.forEach((item, i) => {
    const y = top + i * row;
    const w = (item.value / max) * plotW;
    const label = item.label.length > 16 ? `${item.label.slice(0, 15)}…` : item.label;
    chart.append(
      svg('text', { x: labelWidth - 8, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'axis label' }, label, svg('title', {}, item.label)),
      svg('rect', { class: `bar series-${tone}`, x: labelWidth, y: y + 4, width: Math.max(1, w).toFixed(2), height: row - 8, 'data-value': item.value }, svg('title', {}, `${item.label}：${fmt(item.value, format)}`)),
      svg('text', { x: (labelWidth + w + 6).toFixed(2), y: y + row / 2 + 4, class: 'axis value' }, fmt(item.value, format)));
  });
  return figure(id, title, description, chart, [dataTable(title, items.map((i) => i.label), [{ name: '数量', values: items.map((i) => i.value) }], format)]);
}

/** 100% bars, one per row (all channels, then each): shares of a whole such as answered / clarified / fallback. */
export function shareBars({ id, title, description, rows, parts, labelWidth = 120 }) {
  const row = 30; const top = 6; const right = 8;
  const height = top * 2 + Math.max(1, rows.length) * row;
  const chart = frame(id, title, description, height);
  const plotW = W - labelWidth - right;
  rows.forEach((r, i) => {
    const y = top + i * row;
    const total = parts.reduce((sum, p) => sum + (r.values[p.key] ?? 0), 0);
    chart.append(svg('text', { x: labelWidth - 8, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'axis label' }, r.label));
    let x = labelWidth;
    parts.forEach((p, j) => {
      const value = r.values[p.key] ?? 0;
      if (!total || !value) return;
      const w = (value / total) * plotW;
      chart.append(svg('rect', { class: `bar series-${p.tone ?? j}`, x: x.toFixed(2), y: y + 4, width: w.toFixed(2), height: row - 8, 'data-value': value },
        svg('title', {}, `${r.label} · ${p.name}：${value}（${((value / total) * 100).toFixed(1)}%）`)));
      if (w > 36) chart.append(svg('text', { x: (x + w / 2).toFixed(2), y: y + row / 2 + 4, 'text-anchor': 'middle', class: 'in-bar' }, `${((value / total) * 100).toFixed(0)}%`));
      x += w;
    });
    if (!total) chart.append(svg('text', { x: labelWidth, y: y + row / 2 + 4, class: 'axis' }, '无数据'));
  });
  const series = parts.map((p) => ({ ...p, values: rows.map((r) => r.values[p.key] ?? 0) }));
  return figure(id, title, description, chart, [legend(parts), dataTable(title, rows.map((r) => r.label), series)]);
}
