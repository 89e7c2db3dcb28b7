// Custom-menu CLICK events → what the citizen would have typed. The convention
// for EventKey (at most 128 bytes, set when the menu is created):
//   "ASK:<question>"  the question itself, e.g. "ASK:身份证补领", "ASK:公积金怎么提取";
//   "WELCOME"         the welcome with its menu of what Banshi can do;
//   "HUMAN"           转人工;  "RESTART"  重新开始;  "SHEET"  一次性告知 (of the matter under discussion);
//   any key listed in the plugin's `menu` option, mapped to its question.
// A question in the key itself keeps the menu and its meaning in one place: the
// operator edits the menu in WeChat's console without a deploy here.

export type MenuAction = { type: 'ask'; text: string } | { type: 'welcome' };

export const AskPrefix = 'ASK:';

export const MenuKeys: Readonly<Record<string, string>> = Object.freeze({
  HUMAN: '转人工',
  RESTART: '重新开始',
  SHEET: '一次性告知',
});

export function menuAction(eventKey: string, extra: Readonly<Record<string, string>> = {}): MenuAction | null {
  const key = eventKey.trim();
  if (key.startsWith(AskPrefix)) {
    const text = key.slice(AskPrefix.length).trim();
    return text ? { type: 'ask', text } : null;
  }
  if (key === 'WELCOME') return { type: 'welcome' };
  const text = Object.hasOwn(extra, key) ? extra[key] : Object.hasOwn(MenuKeys, key) ? MenuKeys[key] : undefined;
  return text ? { type: 'ask', text } : null;
}
