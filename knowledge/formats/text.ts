// Text helpers shared by the importers and the staff forms: time limits written
// the way government guides write them, and HTML answers turned into plain text.
import type { TimeLimit, TimeUnit } from '../model.ts';

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Reads "20", "２０", "二十", "十五", "一百二十" as a number; null when it is not one. */
export function parseNumber(text: string): number | null {
  const ascii = text.trim().replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (/^\d+(\.\d+)?$/.test(ascii)) return Number(ascii);
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(ascii)) return null;
  let total = 0;
  let digit = 0;
  for (const c of ascii) {
    if (c === '百' || c === '十') {
      // "十五" starts with the unit: an implied one.
      total += (digit || 1) * (c === '百' ? 100 : 10);
      digit = 0;
    } else {
      digit = CN_DIGITS[c] ?? 0;
    }
  }
  return total + digit;
}

const NONE = /^(无|暂无|無|-+|—+|\/|不适用)$/;
const IMMEDIATE = /即办|即時辦|即时办|当场|當場|立即办|立等可取|即来即办/;
const NUMBER = '(\\d+(?:\\.\\d+)?|[０-９]+|[零〇一二两三四五六七八九十百]+)';
// The unit may sit in brackets, after 个/個, and 工作日 must be tried before 日.
const AMOUNT = new RegExp(
  `${NUMBER}\\s*[（(]?\\s*[个個]?\\s*(工作日|个工作日|自然日|日历日|日|天|小时|小時|钟头|个月|個月|月|年)`,
);

function unitOf(word: string): { unit: TimeUnit; factor: number } {
  if (word.includes('工作日')) return { unit: 'working_day', factor: 1 };
  if (/小时|小時|钟头/.test(word)) return { unit: 'hour', factor: 1 };
  if (word.includes('月')) return { unit: 'month', factor: 1 };
  // The model has no year unit; twelve months say the same thing.
  if (word === '年') return { unit: 'month', factor: 12 };
  return { unit: 'natural_day', factor: 1 };
}

/**
 * Parses a time limit such as "20(工作日)", "90（自然日）", "3个月", "2小时", "即办".
 * Returns null when there is none ("无", empty); keeps the wording in `text` and
 * returns value/unit null when the wording says something no unit captures.
 */
export function parseTimeLimit(text: string | null | undefined): TimeLimit | null {
  const wording = (text ?? '').replace(/\s+/g, ' ').trim();
  if (wording === '' || NONE.test(wording)) return null;
  // "当场办结，最长5个工作日" is still an on-the-spot matter: the lead word decides.
  if (new RegExp(`^(${IMMEDIATE.source})`).test(wording)) return { value: 0, unit: 'immediate', text: wording };
  const match = AMOUNT.exec(wording);
  if (match) {
    const value = parseNumber(match[1]!);
    if (value !== null) {
      const { unit, factor } = unitOf(match[2]!);
      return { value: value * factor, unit, text: wording };
    }
  }
  if (IMMEDIATE.test(wording)) return { value: 0, unit: 'immediate', text: wording };
  return { value: null, unit: null, text: wording };
}

// The named entities that occur in government pages; unknown names are left as written.
const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', thinsp: ' ',
  middot: '·', bull: '•', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“',
  rdquo: '”', laquo: '«', raquo: '»', times: '×', divide: '÷', deg: '°', plusmn: '±', yen: '¥',
  copy: '©', reg: '®', trade: '™', sect: '§', para: '¶', rarr: '→', larr: '←', uarr: '↑', darr: '↓',
  harr: '↔', rArr: '⇒', lArr: '⇐', hArr: '⇔', le: '≤', ge: '≥', ne: '≠', frac12: '½', frac14: '¼', frac34: '¾',
  shy: '', zwsp: '', zwnj: '', zwj: '',
};

/** Decodes named and numeric character references once ("&amp;lt;" becomes "&lt;"). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z][a-zA-Z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // Invalid code points would throw in fromCodePoint; U+FFFD is what a browser shows.
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

// Tags that end a line, and those that end a paragraph (a blank line after them).
const LINE_TAGS = new Set([
  'div', 'tr', 'caption', 'li', 'dt', 'dd', 'center', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'section', 'article', 'header', 'footer', 'tbody', 'thead', 'tfoot', 'pre',
]);
const PARAGRAPH_TAGS = new Set(['p', 'table', 'ol', 'ul', 'dl', 'blockquote']);
// Their content is not text a reader sees.
const HIDDEN_TAGS = new Set(['head', 'title', 'style', 'script', 'noscript', 'template', 'object', 'iframe']);
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\w[^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<|[^<]+/g;
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s"'])${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
}

/** A link target a reader can follow; relative links have no known base, so they are dropped. */
function absoluteTarget(href: string | undefined): string | undefined {
  if (!href) return undefined;
  if (/^https?:\/\/\S+$/i.test(href)) return href;
  if (/^mailto:\S+@\S+$/i.test(href)) return href.slice('mailto:'.length).split('?')[0];
  return undefined;
}

/**
 * Turns an HTML answer into plain text: entities decoded, line-breaking tags become
 * newlines, list items keep their bullet or number, links stay as "text (URL)",
 * other tags go, spaces collapse, at most one blank line, U+FFFD removed.
 * Text without line-breaking tags keeps its own line breaks: many answers are plain
 * text that only uses an inline <a>.
 */
export function htmlToText(html: string): string {
  const source = html.replace(/\r\n?/g, '\n');
  const htmlLayout = /<(br|p|div|li|tr|td|table|ol|ul|h[1-6]|blockquote)\b[^>]*>/i.test(source);
  let out = '';
  let hidden = 0;
  const lists: { ordered: boolean; next: number }[] = [];
  const links: { start: number; target: string | undefined }[] = [];

  // Block boundaries do not add up: "</div><p>" is one paragraph break, not three lines.
  const breakAt = (newlines: 1 | 2): void => {
    const have = out.slice(-8).match(/\s*$/)![0].split('\n').length - 1;
    if (have < newlines) out += '\n'.repeat(newlines - have);
  };
  const addText = (raw: string): void => {
    let text = raw;
    if (htmlLayout) {
      // HTML layout: a source line break is a space, except between two CJK characters,
      // where it was only a hard wrap ("申\n請" is one word), as browsers render it.
      text = text.replace(/[ \t]*\n\s*/g, (gap, at: number, whole: string) =>
        CJK.test(whole[at - 1] ?? '') && CJK.test(whole[at + gap.length] ?? '') ? '' : ' ');
    }
    out += decodeEntities(text);
  };

  for (const match of source.matchAll(TOKEN)) {
    const [token, closing, rawName, attrs = ''] = match;
    if (rawName === undefined) {
      if (hidden === 0 && !token.startsWith('<!') && !token.startsWith('<?')) addText(token);
      continue;
    }
    const name = rawName.toLowerCase();
    if (HIDDEN_TAGS.has(name)) {
      // A self-closed or unclosed <title/> must not hide the rest of the answer.
      if (!attrs.trimEnd().endsWith('/')) hidden = Math.max(0, hidden + (closing ? -1 : 1));
      continue;
    }
    if (hidden > 0) continue;
    if (name === 'a') {
      if (!closing) {
        links.push({ start: out.length, target: absoluteTarget(attribute(attrs, 'href')) });
        continue;
      }
      const link = links.pop();
      if (!link?.target) continue;
      const label = out.slice(link.start).replace(/\s+/g, ' ').trim();
      // Authors often write the address themselves right after the link: "系統</a>(http://…)".
      const after = decodeEntities(source.slice(match.index + token.length, match.index + token.length + link.target.length + 8));
      if (label.includes(link.target) || after.includes(link.target)) continue;
      out += label === '' ? link.target : ` (${link.target})`;
      continue;
    }
    if (name === 'img') {
      // Alt text often carries the step an image shows, unless the text beside it already
      // says it; the picture itself is useful only with a full URL.
      const alt = attribute(attrs, 'alt');
      const src = absoluteTarget(attribute(attrs, 'src'));
      if (alt && out.includes(alt)) {
        if (src) out += ` ${src} `;
        continue;
      }
      if (alt || src) out += ` ${[alt, src && (alt ? `(${src})` : src)].filter(Boolean).join(' ')} `;
      continue;
    }
    if (name === 'br') {
      out += '\n';
      continue;
    }
    if (name === 'ol' || name === 'ul') {
      if (closing) lists.pop();
      else lists.push({ ordered: name === 'ol', next: Number(attribute(attrs, 'start')) || 1 });
    }
    if (name === 'li' && !closing) {
      const list = lists.at(-1);
      breakAt(1);
      out += list?.ordered ? `${list.next++}. ` : '• ';
      continue;
    }
    if (name === 'td' || name === 'th') {
      out += ' ';
      continue;
    }
    if (PARAGRAPH_TAGS.has(name)) breakAt(2);
    else if (LINE_TAGS.has(name)) breakAt(1);
  }

  const lines = out
    .replace(/[\ufffd\u200b\u200c\u200d\u2060\ufeff]/g, '')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0\u3000]+/g, ' ').trim());
  // At most one blank line between paragraphs.
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
