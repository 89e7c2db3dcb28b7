// Citizens type Chinese by pinyin, and the input method's slip is a character of
// the same sound: 注测 for 注册, 居驻证 for 居住证, 考式 for 考试. Where the query has
// character pairs the knowledge base never uses, a character swapped for a homophone
// that the names use beside the same neighbours is read as the one meant. One
// character at a time: a pair that differs in both is another word (老公 is not 劳工).
import { pinyin } from 'pinyin-pro';

const Han = /^\p{Script=Han}$/u;
const Empty: ReadonlySet<string> = new Set();

function member(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

export class Homophones {
  /** `sound|next` → the characters of that sound seen right before `next`; `previous|sound` likewise after. */
  private readonly soundBefore = new Map<string, Set<string>>();
  private readonly soundAfter = new Map<string, Set<string>>();
  /** Every reading of a character asked about: the same few thousand recur. */
  private readonly readingsOf = new Map<string, string[]>();

  /** `functionWord`: characters such as 的, 有, 以 that are neither slips nor what a slip meant; names and questions abound in them. */
  constructor(private readonly functionWord: (char: string) => boolean) {}

  /** Remembers the Han characters of a text, and their neighbours, as possible replacements. */
  learn(text: string): void {
    const chars = [...text];
    chars.forEach((char, at) => {
      if (!Han.test(char) || this.functionWord(char)) return;
      const next = chars[at + 1];
      const previous = chars[at - 1];
      for (const sound of this.readings(char)) {
        if (next) member(this.soundBefore, `${sound}|${next}`).add(char);
        if (previous) member(this.soundAfter, `${previous}|${sound}`).add(char);
      }
    });
  }

  /**
   * The character pairs a run of text would have if one of its characters were a slip:
   * where a pair the names never use (`used` false) holds a character whose homophone
   * makes, with the two characters around it (or beside it, at either end of the run),
   * text the names do use (注测登记: 测 → 册, as in 注册登记, gives 注册 and 册登). Three
   * characters, so a word boundary (房子卖了 → 买了) or two pairs from different names
   * (交通罚单 → 通发 + 发单) are not read as a slip; and an unknown pair that is an
   * ordinary word (`word`: 小车) is what was meant, though 校车 sounds the same.
   */
  slips(run: string, used: (text: string) => boolean, word: (pair: string) => boolean): string[] {
    const chars = [...run];
    const found = new Set<string>();
    chars.forEach((char, at) => {
      if (!Han.test(char) || this.functionWord(char)) return;
      const previous = chars[at - 1];
      const next = chars[at + 1];
      const around = (c: string): string[] => [...(previous !== undefined ? [previous + c] : []), ...(next !== undefined ? [c + next] : [])];
      const from = Math.max(0, Math.min(at - 1, chars.length - 3));
      const context = (c: string): string => chars.slice(from, at).join('') + c + chars.slice(at + 1, from + 3).join('');
      const unseen = around(char).filter((p) => !used(p));
      if (unseen.length === 0 || unseen.some(word)) return;
      for (const sound of this.readings(char)) {
        const pool = next ? this.soundBefore.get(`${sound}|${next}`) : this.soundAfter.get(`${previous}|${sound}`);
        for (const other of pool ?? Empty) {
          if (other === char) continue;
          if (!used(context(other))) continue;
          for (const pair of around(other)) found.add(pair);
        }
      }
    });
    return [...found];
  }

  private readings(char: string): string[] {
    let sounds = this.readingsOf.get(char);
    if (!sounds) {
      sounds = [...new Set(pinyin(char, { toneType: 'none', multiple: true, type: 'array' }))].filter((s) => /^[a-zü]+$/.test(s));
      this.readingsOf.set(char, sounds);
    }
    return sounds;
  }
}
