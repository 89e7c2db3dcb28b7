// The channel-neutral reply every channel renders (../shared/CONTRACTS.md §2).
import type { Facet } from '../knowledge/index.ts';

export type ReplyKind = 'answer' | 'clarify' | 'fallback' | 'smalltalk' | 'handoff' | 'guide' | 'rating';

export interface Candidate {
  entryId: string;
  title: string;
  score: number;
}

export interface Reply {
  kind: ReplyKind;
  /** Plain text in the user's script. */
  text: string;
  entryId: string | null;
  facet: Facet | null;
  confidence: number;
  candidates: Candidate[];
  quickReplies: string[];
  card?: Card;
}

/** Structured content for rich channels; `type` says how to draw it. */
export type Card =
  | { type: 'matter'; entryId: string; title: string; department?: string; facts: { label: string; value: string }[]; facets: { facet: Facet; label: string }[]; url?: string }
  | { type: 'checklist'; entryId: string; title: string; items: { name: string; detail: string; required: boolean }[] }
  | { type: 'sheet'; entryId: string; title: string; sections: { facet: Facet; label: string; lines: string[] }[]; url?: string }
  | { type: 'steps'; entryId: string; title: string; index: number; total: number; steps: { title: string; description: string; actor?: string }[] }
  | { type: 'options'; options: { n: number; entryId: string; label: string }[] }
  | { type: 'rating'; options: string[] }
  | { type: 'faq'; entryId: string; title: string; links: { text: string; url: string }[] };

/** What a channel hands the bot for one turn. */
export interface Incoming {
  /** Server-issued session id: one conversation. */
  session: string;
  channel: string;
  text: string;
  /** Channel-specific user id (e.g. a WeChat OpenID); never shown to staff unmasked. */
  user?: string;
}
