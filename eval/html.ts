// The report an evaluator reads and forwards: one self-contained HTML file with
// charts drawn as inline SVG (nothing is fetched when it is opened).
import type { Report } from './metrics.ts';

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Horizontal bars, one per label, for fractions in 0..1. */
function barChart(rows: { label: string; value: number; note?: string }[], title: string): string {
  const height = 28 * rows.length + 30;
  const bars = rows.map((r, i) => {
    const y = 24 + i * 28;
    const w = Math.max(0, Math.min(1, r.value)) * 360;
    return `<text x="0" y="${y + 14}" font-size="13">${esc(r.label)}</text>`
      + `<rect x="150" y="${y}" width="360" height="18" fill="#eef1f5"/>`
      + `<rect x="150" y="${y}" width="${w.toFixed(1)}" height="18" fill="${r.value >= 0.9 ? '#2e7d32' : r.value >= 0.75 ? '#f9a825' : '#c62828'}"/>`
      + `<text x="518" y="${y + 14}" font-size="13">${pct(r.value)}${r.note ? ` · ${esc(r.note)}` : ''}</text>`;
  }).join('');
  return `<svg role="img" aria-label="${esc(title)}" width="640" height="${height}" xmlns="http://www.w3.org/2000/svg">`
    + `<text x="0" y="14" font-size="14" font-weight="bold">${esc(title)}</text>${bars}</svg>`;
}

function histogram(values: number[], title: string): string {
  if (values.length === 0) return '';
  const max = Math.max(...values);
  const bins = 24;
  const width = Math.max(max, 1) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]!++;
  const top = Math.max(...counts);
  const bars = counts.map((c, i) => {
    const h = (c / top) * 140;
    return `<rect x="${40 + i * 24}" y="${170 - h}" width="20" height="${h.toFixed(1)}" fill="#1565c0"><title>${(i * width).toFixed(1)}–${((i + 1) * width).toFixed(1)} ms: ${c}</title></rect>`;
  }).join('');
  return `<svg role="img" aria-label="${esc(title)}" width="640" height="200" xmlns="http://www.w3.org/2000/svg">`
    + `<text x="0" y="14" font-size="14" font-weight="bold">${esc(title)}</text>${bars}`
    + `<line x1="40" y1="170" x2="616" y2="170" stroke="#333"/>`
    + `<text x="40" y="188" font-size="12">0 ms</text><text x="560" y="188" font-size="12">${max.toFixed(1)} ms</text>`
    + `<text x="0" y="40" font-size="12">${top}</text></svg>`;
}

export interface HtmlOptions {
  title: string;
  /** Entry id → title, to show expected entries by name. */
  titleOf(id: string): string | null;
  generatedAt: string;
  setup: string;
}

export function renderHtml(report: Report, options: HtmlOptions): string {
  const headline: [string, string][] = [
    ['Accuracy 准确率', pct(report.accuracy)], ['Wrong 错答率', pct(report.wrongRate)], ['Clarified 澄清率', pct(report.clarifyRate)],
    ['Top-1', pct(report.top1)], ['Top-3', pct(report.top3)], ['MRR', report.mrr.toFixed(3)], ['Facet 要素准确率', pct(report.facetAccuracy)],
    ['Out of scope 拒答通过率', pct(report.oosPass)], ['Multi-turn 多轮准确率', pct(report.multiTurnAccuracy)],
    ['Latency p50 / p99', `${report.latencyMs.p50} / ${report.latencyMs.p99} ms`],
  ];
  const named = (id: string): string => `${esc(id)}${options.titleOf(id) ? `<br><small>${esc(options.titleOf(id))}</small>` : ''}`;
  const rows = report.failures.map((f) => `<tr><td>${esc(f.id)}</td><td>${esc(f.query)}</td><td>${esc(f.reason)}</td>`
    + `<td>${f.expected.none ? '（应拒答）' : (f.expected.entries ?? []).map(named).join('<hr>')}${f.expected.facet ? `<br><em>${esc(f.expected.facet)}</em>` : ''}</td>`
    + `<td>${esc(f.got.kind)}: ${f.got.entryId ? named(f.got.entryId) : '—'}${f.got.facet ? `<br><em>${esc(f.got.facet)}</em>` : ''}`
    + `<br><small>confidence ${f.got.confidence.toFixed(2)}; candidates: ${f.got.candidates.map((c) => esc(c.title)).join('；')}</small></td></tr>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(options.title)}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#1a1a1a;max-width:1200px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ccd;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border:1px solid #ccd;padding:6px;vertical-align:top;text-align:left}th{background:#f3f5f8}
</style></head><body>
<h1>${esc(options.title)}</h1>
<p>${esc(options.setup)} · ${report.cases} cases, ${report.turns} scored in-scope turns, ${report.counts.outOfScope} out-of-scope · generated ${esc(options.generatedAt)}</p>
<div class="cards">${headline.map(([k, v]) => `<div class="card">${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>
<h2>By facet</h2>
${barChart(Object.entries(report.byFacet).map(([facet, b]) => ({ label: facet, value: b.accuracy, note: `${b.turns} turns` })), 'Accuracy by facet')}
<h2>By data set</h2>
${barChart(Object.entries(report.byFile).map(([file, b]) => ({ label: file, value: b.turns ? b.accuracy : (b.oosPass ?? 0), note: b.turns ? `${b.turns} turns, top-3 ${pct(b.top3)}` : 'out-of-scope pass rate' })), 'Accuracy by case file')}
<h2>Latency</h2>
${histogram(report.latencies, 'Per-turn latency (in-process)')}
<h2>Failures (${report.failures.length})</h2>
<table><thead><tr><th>case</th><th>query</th><th>outcome</th><th>expected</th><th>got</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
