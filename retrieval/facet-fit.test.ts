import { describe, expect, it } from 'vitest';
import type { Entry } from '../knowledge/index.ts';
import { faq, matter } from '../test/fixtures.ts';
import { createAnalyzer } from './analyzer.ts';
import { createFacetFit } from './facet-fit.ts';
import type { FusedCandidate } from './fusion.ts';

const analyzer = createAnalyzer();
const fit = createFacetFit(analyzer);

describe('facet fit', () => {
  const fees = faq('fees', { question: '保母训练课程的费用是多少？' });
  const conditions = faq('conditions', { question: '参加保母训练课程的资格为何？' });
  const twoThings = faq('two', { question: '特殊境遇家庭扶助要向哪个单位申请、申请方式？' });
  const joined = faq('joined', { question: '申請老人緊急救援系統資格及辦理窗口為何？' });
  const guide = matter('guide', { name: '保母训练课程报名' });

  it('reads what an FAQ asks, each clause of it', () => {
    expect(fit.fit(fees, 'fees')).toBe(1);
    expect(fit.fit(conditions, 'fees')).toBe(0);
    expect(fit.fit(twoThings, 'location')).toBe(1);
    expect(fit.fit(twoThings, 'process')).toBe(1);
    expect(fit.fit(twoThings, 'fees')).toBe(0);
    // Two things joined by 及 (和, 与): 资格 and 办理窗口 both.
    expect(fit.fit(joined, 'conditions')).toBe(1);
    expect(fit.fit(joined, 'location')).toBe(1);
    // A guide answers every facet.
    expect(fit.fit(guide, 'fees')).toBe(1);
  });

  it('puts the FAQ that asks what the citizen asks above a near-tie that asks something else', () => {
    const entries = new Map<string, Entry>([['fees', fees], ['conditions', conditions], ['guide', guide]]);
    const fused: FusedCandidate[] = [
      { entryId: 'conditions', score: 0.68, stages: {} },
      { entryId: 'fees', score: 0.66, stages: {} },
      { entryId: 'guide', score: 0.6, stages: {} },
    ];
    const order = (facet: 'fees' | null) => fit.rerank(fused, facet, (id) => entries.get(id)).map((c) => c.entryId);
    expect(order('fees')).toEqual(['fees', 'conditions', 'guide']);
    expect(order(null)).toEqual(['conditions', 'fees', 'guide']);
  });
});
