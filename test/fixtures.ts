// Shared test fakes: small valid entries to build on.
import type { Faq, Matter } from '../knowledge/index.ts';

export function faq(id: string, overrides: Partial<Faq> = {}): Faq {
  return {
    kind: 'faq', id, source: 'test', tags: [], question: `问题${id}`, alternates: [],
    answer: `答案${id}`, followUps: [], matterId: null, ...overrides,
  };
}

export function matter(id: string, overrides: Partial<Matter> = {}): Matter {
  return {
    kind: 'matter', id, source: 'test', tags: [], name: `事项${id}`, aliases: [], themes: [], applicants: ['自然人'],
    conditions: '', materials: [], fees: { status: 'not_recorded', items: [] },
    timeLimits: { legal: null, promised: null }, locations: [], phones: { consult: [], complaint: [] },
    online: { available: false, fullyOnline: false }, visits: null, courier: 'unknown', steps: [],
    legalBasis: [], faqIds: [], ...overrides,
  };
}
