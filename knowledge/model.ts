// The knowledge model: matter guides (办事指南) and FAQ entries.
// TypeBox schemas are the single source of truth: the types below are derived
// from them, the store validates with them, and fastify can use them as route schemas.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String();
const NonEmpty = Type.String({ minLength: 1 });
const Url = Type.String({ pattern: '^https?://' });

export const Facets = [
  'overview', 'materials', 'conditions', 'fees', 'time_limit',
  'location', 'contact', 'process', 'online',
] as const;
export type Facet = (typeof Facets)[number];

export const MaterialSchema = Type.Object({
  name: NonEmpty,
  /** original: 原件; copy: 复印件; both: 原件及复印件; electronic: 电子版. */
  form: Type.Union([
    Type.Literal('original'), Type.Literal('copy'), Type.Literal('both'),
    Type.Literal('electronic'), Type.Literal('unspecified'),
  ]),
  originals: Type.Integer({ minimum: 0 }),
  copies: Type.Integer({ minimum: 0 }),
  required: Type.Boolean(),
  notes: Type.Optional(Text),
  templateUrl: Type.Optional(Url),
  sampleUrl: Type.Optional(Url),
}, { additionalProperties: false });

export const FeeItemSchema = Type.Object({
  name: NonEmpty,
  /** Amount in yuan; null when the fee varies and `amountText` says how. */
  amount: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  amountText: Type.Optional(Text),
  basis: Type.Optional(Text),
}, { additionalProperties: false });

/** "free" (不收费) and "not_recorded" (no fee information) are different answers. */
export const FeesSchema = Type.Object({
  status: Type.Union([Type.Literal('free'), Type.Literal('charged'), Type.Literal('not_recorded')]),
  items: Type.Array(FeeItemSchema),
  note: Type.Optional(Text),
}, { additionalProperties: false });

export const TimeUnits = ['working_day', 'natural_day', 'hour', 'month', 'immediate'] as const;
export const TimeLimitSchema = Type.Object({
  value: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  unit: Type.Union([...TimeUnits.map((u) => Type.Literal(u)), Type.Null()]),
  /** The source wording, kept because parsing loses nuance ("自受理之日起"). */
  text: Text,
}, { additionalProperties: false });

export const LocationSchema = Type.Object({
  name: Type.Optional(Text),
  address: Text,
  hours: Type.Optional(Text),
  window: Type.Optional(Text),
}, { additionalProperties: false });

export const OnlineSchema = Type.Object({
  available: Type.Boolean(),
  fullyOnline: Type.Boolean(),
  platform: Type.Optional(Text),
  url: Type.Optional(Url),
  bookingUrl: Type.Optional(Url),
}, { additionalProperties: false });

export const StepSchema = Type.Object({
  title: NonEmpty,
  description: Text,
  actor: Type.Optional(Text),
}, { additionalProperties: false });

const Common = {
  id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/?#]+$' }),
  tags: Type.Array(NonEmpty),
  department: Type.Optional(Text),
  /** Where the entry came from: 'demo', 'gd-matters', 'tpe-faq', 'staff' … */
  source: NonEmpty,
};

export const MatterSchema = Type.Object({
  ...Common,
  kind: Type.Literal('matter'),
  name: NonEmpty,
  aliases: Type.Array(NonEmpty),
  /** The catalogue matter this one is a variant of; variants share it. */
  baseName: Type.Optional(Text),
  /** What sets this variant apart from its siblings (sub-case, applicant type). */
  variant: Type.Optional(Text),
  matterType: Type.Optional(Text),
  region: Type.Optional(Text),
  level: Type.Optional(Text),
  themes: Type.Array(NonEmpty),
  applicants: Type.Array(NonEmpty),
  conditions: Text,
  materials: Type.Array(MaterialSchema),
  fees: FeesSchema,
  timeLimits: Type.Object({
    legal: Type.Union([TimeLimitSchema, Type.Null()]),
    promised: Type.Union([TimeLimitSchema, Type.Null()]),
  }, { additionalProperties: false }),
  locations: Type.Array(LocationSchema),
  phones: Type.Object({
    consult: Type.Array(NonEmpty),
    complaint: Type.Array(NonEmpty),
  }, { additionalProperties: false }),
  online: OnlineSchema,
  /** 跑动次数: visits to the office; null when unknown. */
  visits: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  courier: Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('unknown')]),
  steps: Type.Array(StepSchema),
  legalBasis: Type.Array(NonEmpty),
  faqIds: Type.Array(NonEmpty),
  sourceUrl: Type.Optional(Url),
}, { additionalProperties: false });

export const FaqSchema = Type.Object({
  ...Common,
  kind: Type.Literal('faq'),
  question: NonEmpty,
  alternates: Type.Array(NonEmpty),
  /** Plain text; links are kept inline as "text (https://…)". */
  answer: NonEmpty,
  /** Short button labels that lead on to other entries. */
  followUps: Type.Array(NonEmpty),
  matterId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  contact: Type.Optional(Type.Object({
    name: Type.Optional(Text),
    phone: Type.Optional(Text),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export const EntrySchema = Type.Union([MatterSchema, FaqSchema]);

export type Material = Static<typeof MaterialSchema>;
export type FeeItem = Static<typeof FeeItemSchema>;
export type Fees = Static<typeof FeesSchema>;
export type TimeLimit = Static<typeof TimeLimitSchema>;
export type TimeUnit = (typeof TimeUnits)[number];
export type Location = Static<typeof LocationSchema>;
export type ProcessStep = Static<typeof StepSchema>;
export type Matter = Static<typeof MatterSchema>;
export type Faq = Static<typeof FaqSchema>;
export type Entry = Matter | Faq;
export type EntryKind = Entry['kind'];
export type EntryStatus = 'draft' | 'published';

/** An entry as the store holds it: the content plus its bookkeeping. */
export interface StoredEntry<E extends Entry = Entry> {
  entry: E;
  version: number;
  status: EntryStatus;
  /** The version citizens are answered from, or null when never published. */
  publishedVersion: number | null;
  deleted: boolean;
  updatedAt: string;
  updatedBy: string;
}

/** The title shown for an entry in candidate lists and cards. */
export function entryTitle(entry: Entry): string {
  return entry.kind === 'matter' ? entry.name : entry.question;
}
