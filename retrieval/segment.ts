// Stage 2 of retrieval: normalised text → words, with jieba (nodejieba).
// nodejieba is one native segmenter per process: its dictionary is loaded once,
// and words taught with addWords are seen by every caller in the process.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodejieba from 'nodejieba';
import { lexiconWords } from './lexicon.ts';
import { facetCueWords } from './facets.ts';
import { foldTerm, wordList } from './normalize.ts';

// jieba's dictionary frequencies: common words are in the 10^4–10^5 range. A
// high frequency makes a domain word (补办, 港澳通行证, 身份正) win over a
// split into smaller dictionary words.
const USER_WORD_FREQUENCY = 50_000;
// Words from the knowledge base longer than this are left for jieba to split:
// cutForSearch only re-emits 2- and 3-character parts of a long word, so a
// whole matter name as one word would hide its 4-character parts (营业执照).
const MAX_TAUGHT_LENGTH = 6;

const HAN = /\p{Script=Han}/u;
const DIGITS = /(\d+)/;
const CONTENT = /[\p{L}\p{N}]/u;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

let loaded = false;
let stopwords: ReadonlySet<string> = new Set();
// Every word put into jieba by us, so none is inserted twice (insertWord
// appends to the dictionary each time it is called).
const known = new Set<string>();

function isDictionaryWord(word: string): boolean {
  // Single characters are left out: in jieba's user dictionary they change
  // how unknown runs around them are cut, and they are words already.
  return [...word].length >= 2 && !/\s/.test(word);
}

function ensureLoaded(): void {
  if (loaded) return;
  stopwords = new Set(wordList(readFileSync(new URL('./lexicon/stopwords.txt', import.meta.url), 'utf8')));
  for (const word of [...lexiconWords(), ...facetCueWords()]) {
    if (isDictionaryWord(word)) known.add(word);
  }
  // nodejieba reads user words only from a file; the file is ours alone
  // (parallel test workers each write their own) and is gone after loading.
  const file = join(tmpdir(), `banshi-jieba-${process.pid}-${randomUUID()}.utf8`);
  writeFileSync(file, [...known].map((w) => `${w} ${USER_WORD_FREQUENCY} n`).join('\n') + '\n');
  try {
    nodejieba.load({ userDict: file });
  } finally {
    unlinkSync(file);
  }
  loaded = true;
}

/** Overlapping character pairs of each space-separated run: matches whatever the segmenter did. */
export function charBigrams(text: string): string[] {
  const grams: string[] = [];
  for (const run of text.split(/\s+/)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  }
  return grams;
}

/**
 * Words of normalised text for indexing and search: jieba's search mode (all
 * words plus the dictionary words inside long ones, HMM for unknown words),
 * lower-cased, without stopwords, whitespace and punctuation. Duplicates stay:
 * they are term frequency when indexing.
 */
export function tokens(text: string): string[] {
  ensureLoaded();
  const out: string[] = [];
  // A run of digits is one number: jieba would cut 123456789 at a word it was taught (12345热线).
  for (const part of text.split(DIGITS)) {
    const words = /^\d+$/.test(part) ? [part] : nodejieba.cutForSearch(part, true);
    for (const raw of words) {
      const word = raw.toLowerCase();
      if (!CONTENT.test(word) || stopwords.has(word)) continue;
      out.push(word);
    }
  }
  return out;
}

/** Whether the word is a function or question word that retrieval drops (的, 怎么). */
export function isStopword(word: string): boolean {
  ensureLoaded();
  return stopwords.has(word);
}

/** Whether jieba's dictionary, with the words taught, holds the word: an ordinary word (小车, 教室), not a slip of the input method. */
export function inDictionary(word: string): boolean {
  ensureLoaded();
  return nodejieba.cutAll(word).includes(word);
}

/**
 * Teaches jieba words from the knowledge base (matter names, aliases). The
 * binding inserts them at the dictionary's median weight: they join runs jieba
 * does not know (粤商通) but do not override a split into common words.
 */
export function addWords(words: Iterable<string>): void {
  ensureLoaded();
  for (const word of words) {
    for (const part of foldTerm(word).split(NOT_WORD)) {
      if (known.has(part) || !isDictionaryWord(part) || !HAN.test(part)) continue;
      if ([...part].length > MAX_TAUGHT_LENGTH) continue;
      known.add(part);
      nodejieba.insertWord(part);
    }
  }
}
