// Service analytics from the masked turn log: conversations and turns per day
// and channel, how questions were handled, what citizens ask about, how
// satisfied they were, and when they come. Staff and machine channels (eval,
// hit-test) never count. Days and hours are local time (see AdminSettings).
import type { Db } from '../../knowledge/index.ts';
import { STAFF_CHANNELS } from './inbox.ts';
import { localModifier, type InstantRange } from './time-range.ts';

export const RatingNames = ['满意', '基本满意', '不满意'] as const;

export interface AnalyticsQuery extends InstantRange {
  channel?: string;
  offsetMinutes: number;
}

/** Counts of question turns by how they were handled, and each as a fraction of `questions`. */
export interface Outcomes {
  /** Turns the bot had to handle a question in: answer, guide, clarify, fallback, handoff. */
  questions: number;
  answered: number;
  clarified: number;
  fallback: number;
  handoff: number;
  rates: { answered: number; clarified: number; fallback: number; handoff: number };
}

export interface Analytics {
  range: { from: string | null; to: string | null; channel: string | null; timezoneOffsetMinutes: number };
  totals: { conversations: number; turns: number } & Outcomes;
  byDay: { day: string; conversations: number; turns: number }[];
  byChannel: ({ channel: string; conversations: number; turns: number } & Outcomes)[];
  topEntries: { entryId: string; title: string; kind: string | null; count: number }[];
  facets: { facet: string; count: number }[];
  /** The most asked wordings, as logged: masked. */
  topQuestions: { text: string; count: number }[];
  satisfaction: { day: string; counts: Record<(typeof RatingNames)[number], number>; total: number }[];
  busiestHours: { hour: number; turns: number }[];
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

interface OutcomeRow {
  questions: number;
  answered: number;
  clarified: number;
  fallback: number;
  handoff: number;
}

const OUTCOME_COLUMNS = `
  SUM(kind IN ('answer', 'guide', 'clarify', 'fallback', 'handoff')) AS questions,
  SUM(kind IN ('answer', 'guide')) AS answered,
  SUM(kind = 'clarify') AS clarified,
  SUM(kind = 'fallback') AS fallback,
  SUM(kind = 'handoff') AS handoff`;

function outcomes(row: OutcomeRow): Outcomes {
  const q = row.questions ?? 0;
  const rate = (n: number | null): number => (q === 0 ? 0 : round((n ?? 0) / q));
  return {
    questions: q, answered: row.answered ?? 0, clarified: row.clarified ?? 0, fallback: row.fallback ?? 0, handoff: row.handoff ?? 0,
    rates: { answered: rate(row.answered), clarified: rate(row.clarified), fallback: rate(row.fallback), handoff: rate(row.handoff) },
  };
}

export function computeAnalytics(db: Db, query: AnalyticsQuery, titleOf: (id: string) => { title: string; kind: string } | null): Analytics {
  const conditions = [`channel NOT IN (${STAFF_CHANNELS.map(() => '?').join(', ')})`];
  const args: (string | number)[] = [...STAFF_CHANNELS];
  if (query.from) { conditions.push('at >= ?'); args.push(query.from); }
  if (query.to) { conditions.push('at < ?'); args.push(query.to); }
  if (query.channel) { conditions.push('channel = ?'); args.push(query.channel); }
  const where = `WHERE ${conditions.join(' AND ')}`;
  const local = localModifier(query.offsetMinutes);
  const all = <T>(sql: string, ...extra: (string | number)[]): T[] => db.prepare(sql).all(...extra, ...args) as T[];

  const totals = all<{ conversations: number; turns: number } & OutcomeRow>(
    `SELECT COUNT(DISTINCT session) AS conversations, COUNT(*) AS turns, ${OUTCOME_COLUMNS} FROM turns ${where}`)[0]!;
  const byDay = all<{ day: string; conversations: number; turns: number }>(
    `SELECT strftime('%Y-%m-%d', at, ?) AS day, COUNT(DISTINCT session) AS conversations, COUNT(*) AS turns
     FROM turns ${where} GROUP BY day ORDER BY day`, local);
  const byChannel = all<{ channel: string; conversations: number; turns: number } & OutcomeRow>(
    `SELECT channel, COUNT(DISTINCT session) AS conversations, COUNT(*) AS turns, ${OUTCOME_COLUMNS}
     FROM turns ${where} GROUP BY channel ORDER BY turns DESC, channel`);
  const topEntries = all<{ entryId: string; count: number }>(
    `SELECT entry_id AS entryId, COUNT(*) AS count FROM turns ${where} AND kind IN ('answer', 'guide') AND entry_id IS NOT NULL
     GROUP BY entry_id ORDER BY count DESC, entry_id LIMIT 20`);
  const facets = all<{ facet: string; count: number }>(
    `SELECT facet, COUNT(*) AS count FROM turns ${where} AND kind IN ('answer', 'guide') AND facet IS NOT NULL
     GROUP BY facet ORDER BY count DESC, facet`);
  const topQuestions = all<{ text: string; count: number }>(
    `SELECT normalized AS text, COUNT(*) AS count FROM turns ${where}
       AND kind IN ('answer', 'guide', 'clarify', 'fallback') AND normalized <> ''
     GROUP BY normalized ORDER BY count DESC, MAX(seq) DESC LIMIT 20`);
  const ratings = all<{ day: string; rating: (typeof RatingNames)[number]; n: number }>(
    `SELECT strftime('%Y-%m-%d', at, ?) AS day, rating, COUNT(*) AS n FROM ratings ${where} GROUP BY day, rating ORDER BY day`, local);
  const hours = all<{ hour: string; turns: number }>(
    `SELECT strftime('%H', at, ?) AS hour, COUNT(*) AS turns FROM turns ${where} GROUP BY hour`, local);

  const satisfaction = new Map<string, Analytics['satisfaction'][number]>();
  for (const r of ratings) {
    const day = satisfaction.get(r.day) ?? { day: r.day, counts: { 满意: 0, 基本满意: 0, 不满意: 0 }, total: 0 };
    day.counts[r.rating] += r.n;
    day.total += r.n;
    satisfaction.set(r.day, day);
  }
  const perHour = new Map(hours.map((h) => [Number(h.hour), h.turns]));
  return {
    range: { from: query.from ?? null, to: query.to ?? null, channel: query.channel ?? null, timezoneOffsetMinutes: query.offsetMinutes },
    totals: { conversations: totals.conversations, turns: totals.turns, ...outcomes(totals) },
    byDay,
    byChannel: byChannel.map((c) => ({ channel: c.channel, conversations: c.conversations, turns: c.turns, ...outcomes(c) })),
    topEntries: topEntries.map((e) => {
      const known = titleOf(e.entryId);
      return { entryId: e.entryId, title: known?.title ?? e.entryId, kind: known?.kind ?? null, count: e.count };
    }),
    facets,
    topQuestions,
    satisfaction: [...satisfaction.values()],
    busiestHours: Array.from({ length: 24 }, (_, hour) => ({ hour, turns: perHour.get(hour) ?? 0 })),
  };
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The same figures as one long table (section, key, metric, value), which a
 * spreadsheet pivots as it likes. The BOM makes Excel read it as UTF-8.
 */
export function analyticsCsv(a: Analytics): string {
  const rows: (string | number)[][] = [['section', 'key', 'metric', 'value']];
  const outcomeRows = (section: string, key: string, o: Outcomes): void => {
    for (const m of ['questions', 'answered', 'clarified', 'fallback', 'handoff'] as const) rows.push([section, key, m, o[m]]);
    for (const [m, v] of Object.entries(o.rates)) rows.push([section, key, `${m}_rate`, v]);
  };
  rows.push(['totals', 'all', 'conversations', a.totals.conversations], ['totals', 'all', 'turns', a.totals.turns]);
  outcomeRows('totals', 'all', a.totals);
  for (const d of a.byDay) rows.push(['day', d.day, 'conversations', d.conversations], ['day', d.day, 'turns', d.turns]);
  for (const c of a.byChannel) {
    rows.push(['channel', c.channel, 'conversations', c.conversations], ['channel', c.channel, 'turns', c.turns]);
    outcomeRows('channel', c.channel, c);
  }
  for (const e of a.topEntries) rows.push(['entry', `${e.entryId} ${e.title}`, 'answers', e.count]);
  for (const f of a.facets) rows.push(['facet', f.facet, 'answers', f.count]);
  for (const q of a.topQuestions) rows.push(['question', q.text, 'asked', q.count]);
  for (const s of a.satisfaction) for (const r of RatingNames) rows.push(['satisfaction', s.day, r, s.counts[r]]);
  for (const h of a.busiestHours) rows.push(['hour', String(h.hour).padStart(2, '0'), 'turns', h.turns]);
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
