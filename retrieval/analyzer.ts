// The text-analysis front of retrieval: normalise → segment → expand, plus
// facet detection. Indexing and querying both go through it so they agree.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Analyzer } from './types.ts';
import { normalize } from './normalize.ts';
import { addWords, tokens } from './segment.ts';
import { defaultLexicon, expand as expandWeighted } from './lexicon.ts';
import { detectFacet } from './facets.ts';

/**
 * The analyzer over the shipped lexicon, stopwords and facet cues.
 *
 * `expand(tokens)` returns the tokens unchanged, followed by the synonyms of
 * their lexicon groups that are not already among them: everything after
 * position `tokens.length` is an expansion. A stage that wants graded weights
 * (synonym 0.5, typo correction 1) uses `expand` from ./lexicon.ts directly.
 *
 * The segmenter is one per process (see ./segment.ts): words taught through
 * one analyzer's `addWords` are known to all.
 */
export function createAnalyzer(): Analyzer {
  const lexicon = defaultLexicon();
  return {
    version: lexiconVersion(),
    normalize,
    // A misspelt or variant-spelt word is read as the word meant, at full weight:
    // "身份正" and Taiwan's "身分证" are 身份证 to a citizen.
    tokens(text: string): string[] {
      return [...new Set(tokens(text).map((w) => lexicon.groupOf(w)?.typos.get(w) ?? w))];
    },
    expand(input: string[]): string[] {
      const own = new Set(input);
      return [...input, ...expandWeighted(input).filter((t) => !own.has(t.term)).map((t) => t.term)];
    },
    detectFacet,
    addWords,
  };
}

let shippedVersion: string | undefined;

/** A digest of every file in ./lexicon/ (synonyms, stopwords, facet cues, operations). */
function lexiconVersion(): string {
  if (shippedVersion === undefined) {
    const dir = new URL('./lexicon/', import.meta.url);
    const hash = createHash('sha1');
    for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(new URL(name, dir)));
    shippedVersion = hash.digest('hex').slice(0, 12);
  }
  return shippedVersion;
}
