// Reply → the text a WeChat chat can show. WeChat has no buttons in a passive
// text reply, so quick replies become a numbered list the citizen answers with a
// digit, and a text reply must stay within 2048 bytes of UTF-8, so long answers
// are cut at a line boundary with a link to the full guide on the portal.
import type { Reply } from '../../bot/index.ts';

/** WeChat's limit for a passive text reply's Content (the customer-service API accepts no more). */
export const WechatTextLimitBytes = 2048;

export interface RenderOptions {
  limitBytes?: number;
  /** Where the whole answer can be read; without it the cut says only that it was shortened. */
  moreLink?: string | undefined;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** True when the text already lists every quick reply as "n. label" in order (the bot's clarifying questions). */
function numberedInText(text: string, quickReplies: string[]): boolean {
  const lines = new Set(text.split('\n').map((l) => l.trim()));
  return quickReplies.length > 0 && quickReplies.every((q, i) => lines.has(`${i + 1}. ${q}`));
}

export function optionsBlock(quickReplies: string[]): string {
  if (quickReplies.length === 0) return '';
  return `\n\n回复数字选择：\n${quickReplies.map((q, i) => `${i + 1}. ${q}`).join('\n')}`;
}

/** The longest prefix of `text` within `budget` bytes, cut after a whole line when one fits. */
export function cutAtLine(text: string, budget: number): string {
  if (budget <= 0) return '';
  let kept = '';
  for (const line of text.split('\n')) {
    const next = kept === '' ? line : `${kept}\n${line}`;
    if (bytes(next) > budget) break;
    kept = next;
  }
  if (kept !== '') return kept.replace(/\s+$/, '');
  // Not even the first line fits: cut inside it, never inside a character.
  let out = '';
  for (const ch of text) {
    if (bytes(out + ch) > budget) break;
    out += ch;
  }
  return out;
}

export interface Rendered {
  content: string;
  /**
   * What a digit in the citizen's next message picks: the options as numbered in
   * `content`. Empty for a clarifying question: its numbers are the bot's own, kept
   * in its conversation state, and it resolves "2" itself (more reliably than by
   * label, since one label may contain another), so the digit goes through unchanged.
   */
  choices: string[];
}

export function renderReply(reply: Pick<Reply, 'kind' | 'text' | 'quickReplies'>, options: RenderOptions = {}): Rendered {
  const limit = options.limitBytes ?? WechatTextLimitBytes;
  const body = reply.text.trim();
  const ours = (shown: boolean): string[] => (reply.kind !== 'clarify' && shown ? reply.quickReplies : []);
  if (numberedInText(body, reply.quickReplies) && bytes(body) <= limit) return { content: body, choices: ours(true) };
  const block = optionsBlock(reply.quickReplies);
  if (bytes(body) + bytes(block) <= limit) return { content: body + block, choices: ours(true) };
  // The whole answer matters more than the options: drop them when only that makes it fit.
  if (bytes(body) <= limit) return { content: body, choices: [] };
  const tail = options.moreLink ? `\n…完整内容请查看：${options.moreLink}` : '\n…（内容较长，已省略部分）';
  const keepBlock = bytes(tail) + bytes(block) <= limit / 2;
  const room = limit - bytes(tail) - (keepBlock ? bytes(block) : 0);
  return { content: cutAtLine(body, room) + tail + (keepBlock ? block : ''), choices: ours(keepBlock) };
}

const FullWidthDigits = /[０-９]/g;

/** The quick reply a message like "2" or "２。" picks, or null when it picks none. */
export function pickChoice(text: string, offered: readonly string[]): string | null {
  const plain = text.trim().replace(FullWidthDigits, (d) => String(d.charCodeAt(0) - 0xff10)).replace(/[。.．]$/, '');
  if (!/^[1-9]\d?$/.test(plain)) return null;
  return offered[Number(plain) - 1] ?? null;
}

/** The portal page for an entry: the portal opens with the question already asked. */
export function portalLink(publicUrl: string, title?: string | null): string {
  const base = publicUrl.replace(/\/+$/, '');
  return title ? `${base}/?q=${encodeURIComponent(title)}` : `${base}/`;
}
