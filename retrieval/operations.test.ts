import { describe, expect, it } from 'vitest';
import type { Entry } from '../knowledge/index.ts';
import { faq, matter } from '../test/fixtures.ts';
import { createAnalyzer } from './analyzer.ts';
import type { FusedCandidate } from './fusion.ts';
import { createOperationFit, defaultOperations, parseOperations } from './operations.ts';
import { analyzeQuery } from './retriever.ts';

const analyzer = createAnalyzer();

describe('parseOperations', () => {
  it('reads title words, query-only words and the plain operation', () => {
    const ops = parseOperations('# comment\n= 办理 申请 | 想办\n查询 进度 | 查 办好了没\n');
    expect(ops.list).toEqual([{ name: '查询', titleWords: ['查询', '进度'], queryWords: ['查询', '进度', '查', '办好了没'] }]);
    // The plain operation is never held against an entry, but its words are action words too.
    expect([...ops.actionWords].sort()).toEqual(['办好了没', '办理', '想办', '查', '查询', '申请', '进度'].sort());
  });

  it('ships operations for progress queries, changes, cancellations and reissues', () => {
    const names = defaultOperations().list.map((op) => op.name);
    expect(names).toEqual(expect.arrayContaining(['查询', '变更', '注销', '补发', '延续']));
  });
});

describe('operation fit', () => {
  const fit = createOperationFit(analyzer);
  const names = (entry: Entry): string[] => [...fit.carried(entry)].map((op) => op.name);
  const asked = (text: string): string[] => [...fit.expressed(analyzeQuery(analyzer, text))].map((op) => op.name);

  it('finds the operations a title carries, but not one joined on to the plain matter', () => {
    expect(names(matter('a', { name: '首次办理往来港澳通行证进度查询' }))).toEqual(['查询']);
    expect(names(matter('b', { name: '水域滩涂养殖证的审核（变更）' }))).toEqual(['变更']);
    expect(names(matter('c', { name: '办理往来港澳通行证' }))).toEqual([]);
    // 及签注: the permit and its endorsement in one guide.
    expect(names(matter('d', { name: '往来港澳通行证及签注' }))).toEqual([]);
  });

  it('hears an operation in everyday words, and a single character only as a word', () => {
    expect(asked('护照办好了没有')).toContain('查询');
    expect(asked('身份证丢了')).toContain('补发');
    expect(asked('驾照快到期了')).toContain('延续');
    // Moving a record in or out, and reopening a business.
    expect(asked('户口迁来广东，残疾人证转进来')).toEqual(['迁入']);
    expect(asked('档案想转去新单位')).toEqual(['迁出']);
    expect(asked('停了几个月，想恢复营业')).toContain('恢复');
    expect(asked('我想办个港澳通行证，第一次办')).toEqual([]);
    // 检查 holds 查 but is not asking to look something up.
    expect(asked('瓦斯怎么检查')).not.toContain('查询');
  });

  // Three entries as near-identical as the Guangdong catalogue's: only the operation tells them apart.
  const entries = new Map<string, Entry>([
    ['progress', matter('progress', { name: '首次办理往来港澳通行证进度查询' })],
    ['plain', matter('plain', { name: '办理往来港澳通行证' })],
    ['change', matter('change', { name: '往来港澳通行证（变更）' })],
  ]);
  const fused = (): FusedCandidate[] => [
    { entryId: 'progress', score: 0.58, stages: {} },
    { entryId: 'plain', score: 0.57, stages: {} },
    { entryId: 'change', score: 0.56, stages: {} },
  ];
  const ranked = (text: string): string[] =>
    fit.rerank(fused(), analyzeQuery(analyzer, text), (id) => entries.get(id)).map((c) => c.entryId);

  it('ranks an entry whose operation the citizen did not ask for below the plain matter', () => {
    // 1: the plain permit, which is what "办" asks; 2–3: progress lookup and change, each carrying an operation not asked for.
    expect(ranked('我想办个港澳通行证')).toEqual(['plain', 'progress', 'change']);
  });

  it('leaves an operation the citizen asked for where it was', () => {
    // 1: the progress lookup, asked by 办好了没; 2: the plain permit; 3: the change, not asked.
    expect(ranked('港澳通行证办好了没有')).toEqual(['progress', 'plain', 'change']);
  });

  it('puts a guide carrying just the operation asked above its plain twin within reach, never an FAQ', () => {
    const cards = new Map<string, Entry>([
      ['new', matter('new', { name: '残疾人证新办证申请' })],
      ['cancel', matter('cancel', { name: '残疾人证注销' })],
      ['renew', matter('renew', { name: '残疾人证换领' })],
      ['faq', faq('faq', { question: '残疾人证怎么换领' })],
    ]);
    const order = (renew: number, id = 'renew'): string[] => fit.rerank([
      { entryId: 'new', score: 0.36, stages: {} }, { entryId: 'cancel', score: 0.35, stages: {} }, { entryId: id, score: renew, stages: {} },
    ], analyzeQuery(analyzer, '残疾证又脏又破，换个新的'), (x) => cards.get(x)).map((c) => c.entryId);
    // 1: 换领, asked by 换个新的, within 15% of 新办证申请; 2: the plain twin; 3: 注销, not asked.
    expect(order(0.31)).toEqual(['renew', 'new', 'cancel']);
    // Too far below, or an FAQ: left where it was.
    expect(order(0.25)).toEqual(['new', 'cancel', 'renew']);
    expect(order(0.31, 'faq')).toEqual(['new', 'cancel', 'faq']);
  });

  it('holds nothing against an operation every candidate carries', () => {
    const all = fused().map((c) => ({ ...c, entryId: `${c.entryId}-q` }));
    const lookups = new Map([...entries].map(([id]) => [`${id}-q`, matter(`${id}-q`, { name: `${id}信息查询` })]));
    const out = fit.rerank(all, analyzeQuery(analyzer, '港澳通行证'), (id) => lookups.get(id));
    expect(out.map((c) => c.score)).toEqual(all.map((c) => c.score));
  });

  it('tells a variant the citizen did not ask for from a rival', () => {
    const asking = (text: string) => fit.expressed(analyzeQuery(analyzer, text));
    const [progress, plain, change] = ['progress', 'plain', 'change'].map((id) => entries.get(id)!);
    const other = matter('other', { name: '往来台湾通行证（变更）' });
    // Asked what the permit costs, its progress lookup is not what was meant.
    expect(fit.lessAsked(progress!, plain!, asking('港澳通行证要多少钱'))).toBe(true);
    // Asked whether it is ready, the lookup is meant: a rival to the plain matter.
    expect(fit.lessAsked(progress!, plain!, asking('港澳通行证办好了没有'))).toBe(false);
    // The plain matter is never the lesser of the two, and another document is a rival.
    expect(fit.lessAsked(plain!, change!, asking('港澳通行证要多少钱'))).toBe(false);
    expect(fit.lessAsked(other, plain!, asking('港澳通行证要多少钱'))).toBe(false);
  });
});
