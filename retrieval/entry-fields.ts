// What of an entry a citizen's question can match, and how much each part counts.
// Shared by the lexical and dense stages and by the confidence features, so all
// three agree on what "the entry's name" is.
import type { Entry } from '../knowledge/index.ts';
import type { Analyzer } from './types.ts';

/** Field groups; each has its own average length for BM25F length normalisation. */
export type FieldSlot = 'title' | 'alternate' | 'base' | 'label' | 'department' | 'body';

export interface EntryField {
  slot: FieldSlot;
  text: string;
  /** Relative importance of a match in this field. */
  weight: number;
}

/** Field weights in one table: names and alternate questions above labels, labels above body text. */
export const FieldWeights: Readonly<Record<FieldSlot, number>> = Object.freeze({
  title: 3,
  alternate: 3,
  base: 2,
  label: 1.2,
  department: 0.6,
  body: 0.3,
});

/** Slots that name the entry: character bigrams and the dense vectors come from these. */
export const TitleSlots: ReadonlySet<FieldSlot> = new Set<FieldSlot>(['title', 'alternate', 'base', 'label']);

/** Long body text adds little beyond its first paragraphs and costs memory at 100k entries. */
const BodyLimit = 1000;

function push(fields: EntryField[], slot: FieldSlot, text: string | undefined): void {
  const trimmed = text?.trim();
  if (trimmed) fields.push({ slot, text: slot === 'body' ? trimmed.slice(0, BodyLimit) : trimmed, weight: FieldWeights[slot] });
}

export function entryFields(entry: Entry): EntryField[] {
  const fields: EntryField[] = [];
  if (entry.kind === 'matter') {
    push(fields, 'title', entry.name);
    for (const alias of entry.aliases) push(fields, 'alternate', alias);
    if (entry.baseName && entry.baseName !== entry.name) push(fields, 'base', entry.baseName);
    push(fields, 'base', entry.variant);
    for (const label of [...entry.themes, ...entry.tags]) push(fields, 'label', label);
    push(fields, 'department', entry.department);
    push(fields, 'body', entry.conditions);
    push(fields, 'body', entry.materials.map((m) => m.name).join('；'));
  } else {
    push(fields, 'title', entry.question);
    for (const alternate of entry.alternates) push(fields, 'alternate', alternate);
    for (const tag of entry.tags) push(fields, 'label', tag);
    push(fields, 'department', entry.department);
    push(fields, 'body', entry.answer);
  }
  return fields;
}

/** The texts that each get a dense vector: the name or question and each alias or alternate. */
export function entryVectorTexts(entry: Entry, max = 8): string[] {
  const texts = entry.kind === 'matter' ? [entry.name, ...entry.aliases] : [entry.question, ...entry.alternates];
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))].slice(0, max);
}

export interface AnalyzedField extends EntryField {
  /** The field's text normalised by the analyzer (Simplified, folded). */
  normalized: string;
  tokens: string[];
}

/** An entry's fields normalised and segmented: what both the sparse index and the builtin embedder learn from. */
export type EntryAnalysis = (entry: Entry) => AnalyzedField[];

export function analyzeEntry(analyzer: Analyzer, entry: Entry): AnalyzedField[] {
  return entryFields(entry).map((field) => {
    const normalized = analyzer.normalize(field.text).text;
    return { ...field, normalized, tokens: analyzer.tokens(normalized) };
  });
}

/**
 * Analysis remembered per entry object during a build, so the index and the embedder
 * segment each text once. `freeze()` stops remembering new entries (what is known is
 * still served); `release()` forgets everything.
 */
export function sharedAnalysis(analyzer: Analyzer): EntryAnalysis & { freeze(): void; release(): void } {
  let cache: Map<Entry, AnalyzedField[]> | null = new Map();
  let remember = true;
  const analysis = (entry: Entry): AnalyzedField[] => {
    const known = cache?.get(entry);
    if (known) return known;
    const fields = analyzeEntry(analyzer, entry);
    if (remember) cache?.set(entry, fields);
    return fields;
  };
  return Object.assign(analysis, {
    freeze: () => { remember = false; },
    release: () => { cache = null; },
  });
}
