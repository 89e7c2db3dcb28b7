import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.ts';
import type { Analyzer } from './types.ts';

describe('createAnalyzer', () => {
  const analyzer: Analyzer = createAnalyzer();

  /** The query path as a retrieval stage runs it. */
  const analyze = (text: string) => {
    const normalized = analyzer.normalize(text);
    const facet = analyzer.detectFacet(normalized.text);
    const tokens = analyzer.tokens(facet.rest);
    return { normalized, facet, tokens, expanded: analyzer.expand(tokens) };
  };

  it('repairs a misspelt, colloquial question into searchable terms', () => {
    const { normalized, facet, tokens, expanded } = analyze('请问身份正丢了咋补办？');
    expect(normalized.text).toBe('身份正丢了咋补办');
    expect(facet.facet).toBeNull();
    // The misspelt word is read as the word meant.
    expect(tokens).toEqual(expect.arrayContaining(['身份证', '补办']));
    expect(tokens).not.toContain('身份正');
    // The tokens come first, unchanged; what follows are expansions.
    expect(expanded.slice(0, tokens.length)).toEqual(tokens);
    expect(expanded.slice(tokens.length)).toEqual(expect.arrayContaining(['居民身份证', '补领']));
  });

  it('answers a Traditional question with its facet and a cue-free query', () => {
    const { normalized, facet, tokens } = analyze('機車駕照到期換發要帶什麼？');
    expect(normalized.script).toBe('traditional');
    expect(facet).toMatchObject({ facet: 'materials', cue: '要带什么' });
    expect(tokens).toEqual(expect.arrayContaining(['机车', '驾照', '换发']));
    expect(tokens.join()).not.toContain('什么');
  });

  it('keeps the matter when the citizen only says what they want', () => {
    const { facet, tokens, expanded } = analyze('我想办护照');
    expect([null, 'overview']).toContain(facet.facet);
    expect(tokens).toEqual(['护照']);
    expect(expanded).toContain('因私护照');
  });

  it('expands nothing outside the lexicon and never repeats a token', () => {
    expect(analyzer.expand(['绝当品'])).toEqual(['绝当品']);
    const expanded = analyzer.expand(['驾照', '驾驶证']);
    expect(expanded.filter((t) => t === '驾驶证')).toHaveLength(1);
  });

  it('learns words from the knowledge base', () => {
    analyzer.addWords(['穗康码']);
    expect(analyzer.tokens('穗康码申领')).toContain('穗康码');
  });
});
