// Citizens type Chinese by pinyin, and the input method's slip is a character of
// the same sound: 注测 for 注册, 抱名 for 报名, 身份正 for 身份证. A word the
// knowledge base never uses is looked up again with one character swapped for a
// homophone the knowledge base does use. One character only: a string that differs
// in every character is another word (老公 is not 劳工).
import { pinyin } from 'pinyin-pro';

const Han = /^\p{Script=Han}$/u;
const Empty: ReadonlySet<string> = new Set();

function member(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

export class Homophones {
  /** Toneless syllable → the characters of the knowledge base read that way. */
  private readonly bySound = new Map<string, Set<string>>();
  /** `sound|next` → the characters of that sound seen right before `next`; `previous|sound` likewise after. */
  private readonly soundBefore = new Map<string, Set<string>>();
  private readonly soundAfter = new Map<string, Set<string>>();
  /** Every reading of a character asked about: the same few thousand recur. */
  private readonly readingsOf = new Map<string, string[]>();

  /** Remembers the Han characters of a text, and their neighbours, as possible replacements. */
  learn(text: string): void {
    const chars = [...text];
    chars.forEach((char, at) => {
      if (!Han.test(char)) return;
      const next = chars[at + 1];
      const previous = chars[at - 1];
      for (const sound of this.readings(char)) {
        member(this.bySound, sound).add(char);
        if (next) member(this.soundBefore, `${sound}|${next}`).add(char);
        if (previous) member(this.soundAfter, `${previous}|${sound}`).add(char);
      }
    });
  }

  /**
   * The strings that differ from `word` in one character, by a homophone, and that
   * `known` accepts. The swapped-in character must stand beside its neighbours as in
   * some learned text: only those few are tried, not every homophone.
   */
  variants(word: string, known: (candidate: string) => boolean): string[] {
    const chars = [...word];
    const found = new Set<string>();
    chars.forEach((char, at) => {
      if (!Han.test(char)) return;
      const previous = chars[at - 1];
      const next = chars[at + 1];
      const before = chars.slice(0, at).join('');
      const after = chars.slice(at + 1).join('');
      for (const sound of this.readings(char)) {
        const pool = next ? this.soundBefore.get(`${sound}|${next}`) : previous ? this.soundAfter.get(`${previous}|${sound}`) : this.bySound.get(sound);
        // Between two neighbours, it must also have followed the previous one.
        const afterPrevious = next && previous ? this.soundAfter.get(`${previous}|${sound}`) ?? Empty : null;
        for (const other of pool ?? Empty) {
          if (other === char || (afterPrevious && !afterPrevious.has(other))) continue;
          const candidate = before + other + after;
          if (known(candidate)) found.add(candidate);
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
