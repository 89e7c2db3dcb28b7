// Which of a matter's near-duplicates the citizen means, from their own words.
// A variant whose distinguishing words they used (a city, "广州户口", 企业职工)
// or whose sub-case they described in their words (丢了 for 遗失补发) is the one;
// a variant for a sub-case they did not mention (变更, 注销) is set aside, since
// a citizen who needs a change or a cancellation says so.
import { charBigrams, type VariantMember } from '../retrieval/index.ts';

/**
 * Sub-cases of a catalogue matter: how staff label them, and how citizens say
 * them. `usual` marks the case a citizen means without saying it (a first
 * application), so a variant labelled with it is never set aside.
 */
const SubCases: { label: RegExp; said: RegExp; usual?: true }[] = [
  { label: /遗失|丢失|补发|补领|补办|挂失/, said: /遗失|丢失|丢了|弄丢|(?<!坏)掉了|不见了|找不到|补发|补领|补办|补证|补一|挂失/ },
  { label: /损毁|损坏|污损|破损|换发|换领/, said: /损毁|损坏|坏了|坏掉|破损|破了|污损|换发|换领|换证|换新|换本|换一|换个/ },
  { label: /延续|延期|续期|展期|期满/, said: /延续|延期|续期|续办|续签|展期|到期|过期|期满/ },
  { label: /变更|更正|更改/, said: /变更|更正|更改|改名|变了|改了|改成|换成/ },
  { label: /注销|撤销|歇业|停业/, said: /注销|撤销|歇业|停业|不干了|不做了|不开了|关掉/ },
  { label: /首次|初次|新办/, said: /首次|初次|第一次|头一次|新办|没办过/, usual: true },
];

const Punctuation = /[\s\p{P}\p{S}]+/gu;

/** Whether the citizen describes a sub-case in their words ("第一次办", "丢了"). */
export const describesSubCase = (said: string): boolean => SubCases.some((c) => c.said.test(said));

/** The citizen's words with every sub-case description taken out. */
const beyondSubCases = (said: string): string => SubCases.reduce((text, c) => text.replace(new RegExp(c.said.source, 'g'), ' '), said);

/** Character pairs within each run of text, never across punctuation or spaces. */
function bigrams(text: string): Set<string> {
  return new Set(charBigrams(text.replace(Punctuation, ' ')));
}

/**
 * Whether the citizen, sub-case words aside, uses words of a title found for their
 * message that none of the offered titles has: "户口本找不到了" names 户口 while
 * 社保卡's guides are offered.
 */
export function namesAnotherSubject(said: string, offered: string[], found: string[]): boolean {
  const words = bigrams(beyondSubCases(said));
  const own = new Set(offered.flatMap((title) => [...bigrams(title)]));
  return found.some((title) => [...bigrams(title)].some((b) => words.has(b) && !own.has(b)));
}

/**
 * The members the citizen's words point to, best ranked first; all of them
 * when the words tell none apart. `said` is what the citizen said, with the
 * region they gave earlier in the conversation.
 */
export function narrowVariants<T extends VariantMember>(members: T[], said: string): T[] {
  // 香港 and 澳门 are what staff write as 港澳 (港澳居民, 港澳医师).
  const text = said + (/香港|澳门/.test(said) ? ' 港澳' : '');
  const described = (m: T): string => `${m.distinguishing} ${m.title}`;
  // Sub-cases first: one the citizen described picks its variants; one nobody mentioned sets its variants aside.
  const saidCases = SubCases.filter((c) => c.said.test(text));
  const named = members.filter((m) => saidCases.some((c) => c.label.test(m.distinguishing)));
  const unsaid = (m: T): boolean => SubCases.some((c) => !c.usual && !saidCases.includes(c) && c.label.test(m.distinguishing));
  let pool = named.length > 0 ? named : members.filter((m) => !unsaid(m));
  if (pool.length === 0) pool = members;
  // Then the words that only one variant's description holds: "广州" for 广州市户籍居民.
  // Words of a variant's `of` text that no other variant's holds (twins with the same text aside).
  const ownWords = (m: T, of: (x: T) => string): string[] => {
    const others = new Set(pool.filter((o) => of(o) !== of(m)).flatMap((o) => [...bigrams(of(o))]));
    return [...bigrams(of(m))].filter((b) => !others.has(b));
  };
  const heard = pool.map((m) => ownWords(m, described).filter((b) => text.includes(b)).length);
  const most = Math.max(...heard);
  if (most > 0) pool = pool.filter((_, i) => heard[i] === most);
  // Last, a variant whose name adds words the citizen did not say (海洋工程…, (…射线装置))
  // gives way to one whose name adds none: the plain matter is what a plain question asks.
  const plain = pool.filter((m) => ownWords(m, (x) => x.title).every((b) => text.includes(b)));
  return plain.length > 0 ? plain : pool;
}
