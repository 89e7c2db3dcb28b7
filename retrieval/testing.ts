// A small stand-in analyzer for retrieval tests that must not depend on the lexicon:
// Traditional → Simplified, lower-case, punctuation to spaces, jieba search-mode words.
import nodejieba from 'nodejieba';
import * as OpenCC from 'opencc-js';
import type { Analyzer } from './types.ts';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

export function createTestAnalyzer(synonyms: Record<string, string[]> = {}): Analyzer {
  return {
    normalize(text) {
      const simplified = toSimplified(text.normalize('NFKC'));
      return {
        original: text,
        text: simplified.toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim(),
        script: simplified === text.normalize('NFKC') ? 'simplified' : 'traditional',
      };
    },
    tokens: (text) => nodejieba.cutForSearch(text, true).map((t) => t.trim()).filter((t) => t.length > 0 && !/^[\p{P}\s]+$/u.test(t)),
    expand: (tokens) => [...tokens, ...tokens.flatMap((t) => synonyms[t] ?? [])],
    detectFacet: (text) => {
      const cue = /(需要|要带)?什么材料|要带什么/.exec(text);
      return cue ? { facet: 'materials', cue: cue[0], rest: text.replace(cue[0], ' ').trim() } : { facet: null, cue: null, rest: text };
    },
    addWords(words) {
      for (const word of words) if (word.length <= 12) nodejieba.insertWord(word);
    },
  };
}
