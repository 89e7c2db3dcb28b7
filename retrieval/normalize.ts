// Stage 1 of retrieval: user text → one canonical form (Simplified, half-width,
// lower-case, punctuation folded, filler words removed) plus the script the
// user wrote in, so replies can be given back in Traditional.
import { Converter, type ConverterFunction } from 'opencc-js';
import type { NormalizedText, Script } from './types.ts';

// 'tw'→'cn' converts characters and Taiwan variant forms but not vocabulary.
// 'twp'→'cn' also rewrites Taiwan phrases, and gets domain words wrong:
// 資料 (materials) becomes 数据 (data), 程式 becomes 程序. Taiwan vocabulary
// (计程车, 网路, 软体, 健保 …) is mapped by the lexicon instead, where it is
// reviewable. Built lazily, once per process: building costs a few ms.
let simplifier: ConverterFunction | undefined;
let traditionalizer: ConverterFunction | undefined;

function toSimplified(text: string): string {
  simplifier ??= Converter({ from: 'tw', to: 'cn' });
  return simplifier(text);
}

/** Simplified → Traditional (Taiwan standard characters), for replies to Traditional writers. */
export function toTraditional(text: string): string {
  traditionalizer ??= Converter({ from: 'cn', to: 'tw' });
  return traditionalizer(text);
}

// Characters the converter changes although they are ordinary Simplified too
// (显著, 乾坤, 瞭望, 慰藉): their presence says nothing about the script.
const SHARED_CHARACTERS = new Set(['著', '乾', '瞭', '藉']);

/**
 * The script of a text, and its Simplified form when it is Traditional.
 * The whole text is converted, not character by character: alone, the 么 of
 * 怎么 converts to 幺, in context it stays.
 */
function simplify(text: string): { script: Script; simplified: string } {
  const converted = toSimplified(text);
  if (converted === text) return { script: 'simplified', simplified: text };
  const before = [...text];
  const after = [...converted];
  if (before.length !== after.length) return { script: 'traditional', simplified: converted };
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i] && !SHARED_CHARACTERS.has(before[i]!)) {
      return { script: 'traditional', simplified: converted };
    }
  }
  // Simplified text is left as is: the 'tw' converter turns Simplified 显著 into 显着.
  return { script: 'simplified', simplified: text };
}

/** 'traditional' when the text holds a character that only Traditional writing uses. */
export function detectScript(text: string): Script {
  return simplify(text).script;
}

const FULL_WIDTH = /[\uff01-\uff5e]/g;
const IDEOGRAPHIC_SPACE = /\u3000/g;
const halfWidth = (ch: string): string => String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
// Punctuation, symbols and any whitespace run become one space.
const PUNCTUATION = /[\p{P}\p{S}\s]+/gu;

// Politeness and "I'd like to ask" phrases, removed wherever they stand: none
// of them occurs inside a government-service word. The two that could are
// guarded: 请问 in 申请问题 (请 belongs to 申请), 问一下 in 访问一下 / 疑问下.
const FILLER_PHRASES = [
  '我想咨询一下', '想咨询一下', '咨询一下', '我想了解一下', '想了解一下', '我想问一下', '想问一下',
  '我想问问', '想问问', '我想请教', '请教一下', '麻烦问一下', '麻烦问下', '麻烦你', '麻烦您',
  '打扰一下', '打扰了', '不好意思', '劳驾', '请告诉我', '我想知道', '想知道', '我想问',
  '你们好', '大家好', '早上好', '上午好', '下午好', '晚上好', '你好', '您好', '哈喽', '嗨',
  '非常感谢', '感谢您', '感谢你', '谢谢您', '谢谢你', '谢谢', '多谢', '谢了',
];
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FILLERS = new RegExp(
  '(?<![申邀提报呈聘宴延敬恳])请问(?:一下)?|(?<![访询疑学提质追盘审顾])(?:问一下|问下|问问)|'
  + `${[...FILLER_PHRASES].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')}`
  + '|(?<![a-z])(?:hello|hi|thanks|thank you|thx)(?![a-z])',
  'g',
);
// 一下 softens a verb (查一下, 办一下, 介绍一下); only after such verbs, so
// 统一下发 or 一下子 stay whole.
const SOFTENER = /(?<=[问查看说讲办弄帮找算试]|介绍|咨询|了解|告诉|解释|确认|打听|说明|处理|核实|指导)一下/g;
// Interjections at the start of a clause.
const CLAUSE_START = /(?<=^|\s)(?:嗯+|哦+|噢+|呃+|额+|喂+|啊+|麻烦)(?=\S)/g;
// Sentence-final particles at the end of a clause; 吗 stays because 免费吗 /
// 要钱吗 carry the question. Guards keep 网吧, 酒吧, 喇嘛, 干嘛, 毛呢, 爪哇 whole.
const CLAUSE_END = /(?:(?<![网酒书茶氧陶水])吧|(?<![干喇])嘛|(?<!毛)呢|(?<!爪)哇|[啊呀哦喔噢嗯啦哈呐哟咧耶])+(?=\s|$)/g;
const SPACES = /\s+/g;

// Cantonese written as it is spoken (Guangdong's citizens often do): its function and
// question words read as their Mandarin equivalents, so the facet cues and the lexicon
// see 电话几多 as 电话多少 and 喺边度办 as 在哪里办. Only words and characters that
// standard Mandarin text does not use this way are listed (系 for 是 is not: 系统).
const CANTONESE: Readonly<Record<string, string>> = {
  系唔系: '是不是', 使唔使: '是否需要', 要唔要: '要不要', 可唔可以: '可不可以', 得唔得: '行不行',
  能唔能: '能不能', 会唔会: '会不会', 有冇: '有没有', 唔使: '不用', 唔该: '请',
  点样: '怎样', 点办: '怎么办', 点算: '怎么办', 边度: '哪里', 边处: '哪里', 边个: '哪个', 边间: '哪间',
  几多: '多少', 几耐: '多久', 几时: '什么时候', 点解: '为什么', 系咪: '是不是', 乜嘢: '什么', 咩嘢: '什么', 佢哋: '他们', 我哋: '我们', 你哋: '你们',
  咩: '什么', 唔: '不', 冇: '没有', 嘅: '的', 喺: '在', 咗: '了', 嚟: '来', 睇: '看', 攞: '拿', 佢: '他', 啲: '些', 畀: '给',
};
const CANTONESE_WORDS = new RegExp(Object.keys(CANTONESE).sort((a, b) => b.length - a.length).join('|'), 'g');

// Seven digits or more, separators allowed (an ID card, phone or case number): a
// citizen's identifier, never a word for a matter, which would only dilute a query.
// Years, fees and the 12345 hotline are shorter.
const IDENTIFIER = /(?<![0-9a-z０-９])[0-9０-９](?:[\s-]?[0-9０-９]){6,}x?(?![0-9a-z０-９])/gi;

/** A citizen's message without the identifiers in it, for retrieval; knowledge-base text keeps its numbers. */
export function withoutIdentifiers(text: string): string {
  return text.replace(IDENTIFIER, ' ');
}

/** Folds width and case only (no filler removal): for dictionary terms and cue words. */
export function foldTerm(term: string): string {
  return simplify(term).simplified.replace(FULL_WIDTH, halfWidth).replace(IDEOGRAPHIC_SPACE, ' ').toLowerCase().trim();
}

/** The words of a word-list file (stopwords.txt, offices.txt): separated by whitespace, "#" starting a comment, folded. */
export function wordList(source: string): string[] {
  return source.split('\n').flatMap((line) => line.replace(/#.*/, '').split(/\s+/)).filter(Boolean).map(foldTerm);
}

/**
 * Text as retrieval compares it. A message that is only greeting or thanks
 * ("你好", "谢谢") normalises to '' — small-talk detection must look at `original`.
 */
export function normalize(original: string): NormalizedText {
  const { script, simplified } = simplify(original);
  let text = simplified.replace(FULL_WIDTH, halfWidth).replace(IDEOGRAPHIC_SPACE, ' ').toLowerCase();
  text = text.replace(PUNCTUATION, ' ').replace(CANTONESE_WORDS, (word) => CANTONESE[word]!);
  text = text.replace(FILLERS, ' ').replace(SOFTENER, '');
  text = text.replace(CLAUSE_START, '').replace(CLAUSE_END, '');
  text = text.replace(SPACES, ' ').trim();
  return { original, text, script };
}
