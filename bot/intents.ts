// Conversation-control wording: greetings, handoff, navigation, ratings, choices.
// Input is plain Simplified text (converted, lower-cased, punctuation removed),
// so one table serves both scripts.

export type Smalltalk = 'greeting' | 'thanks' | 'goodbye' | 'identity' | 'abuse';

const smalltalkPhrases: [Smalltalk, string[]][] = [
  ['greeting', ['你好', '您好', '哈喽', 'hello', 'hi', '在吗', '在不在', '早上好', '下午好', '晚上好', '嗨', '有人吗']],
  ['thanks', ['谢谢', '多谢', '感谢', '谢了', '谢啦', 'thanks', 'thank you', '辛苦了', '明白了', '知道了', '好的谢谢']],
  ['goodbye', ['再见', '拜拜', 'bye', '没有了', '没事了', '就这些']],
  ['identity', ['你是谁', '你叫什么', '你是机器人吗', '你是人吗', '你能做什么', '你会什么', '你能干什么', '怎么用你', '你有什么功能']],
  ['abuse', ['傻逼', '垃圾', '废物', '滚', '去死', '蠢', '笨蛋', '白痴', '智障', '他妈的', '操你']],
];

/**
 * A message counts as small talk only when the phrase is most of it, so that
 * "你好，身份证丢了怎么办" is still a question.
 */
export function detectSmalltalk(plain: string): Smalltalk | null {
  const text = plain.replace(/\s+/g, '');
  if (!text) return null;
  for (const [kind, phrases] of smalltalkPhrases) {
    for (const phrase of phrases) {
      const p = phrase.replace(/\s+/g, '');
      if (kind === 'abuse' ? text.includes(p) : text === p || (text.includes(p) && text.length <= p.length + 3)) return kind;
    }
  }
  return null;
}

function matchesAny(plain: string, phrases: string[]): boolean {
  const text = plain.replace(/\s+/g, '');
  return phrases.some((p) => text.includes(p));
}

export function wantsHuman(plain: string): boolean {
  return matchesAny(plain, ['转人工', '人工客服', '人工服务', '找人工', '真人', '找客服', '人工坐席', '我要人工', '接人工']);
}

export function wantsRestart(plain: string): boolean {
  const text = plain.replace(/\s+/g, '');
  return ['重新开始', '重来', '从头开始', '清空对话', '换个问题'].some((p) => text === p || text.startsWith(p));
}

export function wantsSheet(plain: string): boolean {
  return matchesAny(plain, ['一次性告知', '全部告诉我', '都告诉我', '完整清单', '办事清单', '告知单', '所有信息', '全部信息', '一次说清']);
}

export function wantsWalkthrough(plain: string): boolean {
  return matchesAny(plain, ['一步步来', '一步一步', '分步', '带我办', '手把手', '逐步']);
}

export type StepMove = 'next' | 'previous' | 'end';

export function stepMove(plain: string): StepMove | null {
  const text = plain.replace(/\s+/g, '');
  if (['下一步', '下一个', '继续', '然后呢', '接下来', '好了', '下一页'].includes(text)) return 'next';
  if (['上一步', '上一个', '返回', '回去', '上一页'].includes(text)) return 'previous';
  if (['结束', '退出', '不用了', '停止', '完成'].includes(text)) return 'end';
  return null;
}

export const RatingOptions = ['满意', '基本满意', '不满意'] as const;
export type Rating = (typeof RatingOptions)[number];

export function detectRating(plain: string): Rating | null {
  const text = plain.replace(/\s+/g, '');
  if (/^(不满意|很不满意|非常不满意|差评|不好)$/.test(text)) return '不满意';
  if (/^(基本满意|还行|一般|还可以)$/.test(text)) return '基本满意';
  if (/^(满意|很满意|非常满意|好评|挺好|很好)$/.test(text)) return '满意';
  return null;
}

const chineseNumerals: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "2", "第二个", "选3", "二" → the 1-based option number. */
export function detectChoice(plain: string, count: number): number | null {
  const text = plain.replace(/\s+/g, '');
  // With one option, the question was "是…吗": a yes takes it.
  if (count === 1 && /^(?:是|对|是的|对的|嗯|好|好的|没错)$/.test(text)) return 1;
  const match = /^(?:第|选|选择|要)?([1-9]|[一二两三四五六七八九])(?:个|项|条|号)?(?:吧|的)?$/.exec(text);
  if (!match) return null;
  const n = /\d/.test(match[1]!) ? Number(match[1]) : chineseNumerals[match[1]!]!;
  return n >= 1 && n <= count ? n : null;
}
