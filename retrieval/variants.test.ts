import { beforeAll, describe, expect, it } from 'vitest';
import type { Entry, Matter } from '../knowledge/index.ts';
import { parseGdMatters } from '../knowledge/formats/gd-matters.ts';
import { matter } from '../test/fixtures.ts';
import { sharedDataPath } from '../test/shared-data.ts';
import { VariantGroups } from './variants.ts';

describe('VariantGroups on real Guangdong near-duplicates', () => {
  const groups = new VariantGroups();
  let matters: Matter[] = [];
  beforeAll(async () => {
    const parsed = await parseGdMatters(sharedDataPath('gd-matters.jsonl'));
    matters = parsed.records.map((r) => r.entry as Entry).filter((e): e is Matter => e.kind === 'matter');
    groups.upsert(matters);
  });

  it('groups the lawyer-licence sub-cases under their catalogue name with labels that all differ', () => {
    const group = groups.group('114400000069401674244010900200108')!;
    expect(group.baseName).toBe('律师执业、变更、注销许可');
    expect(group.members).toHaveLength(matters.filter((m) => m.baseName === '律师执业、变更、注销许可').length);
    const labels = group.members.map((m) => m.distinguishing);
    expect(new Set(labels).size).toBe(labels.length);
    // The province and Guangzhou copies of one sub-case differ only by region, and the label says so.
    const byId = new Map(group.members.map((m) => [m.entryId, m.distinguishing]));
    expect(byId.get('114400000069401674244010900200108')).toBe('在我省注销律师执业证书后重新申请执业 · 广东省');
    expect(byId.get('11440100007483180K344010900200108')).toBe('在我省注销律师执业证书后重新申请执业 · 广东省广州市');
  });

  it('labels only the sub-case when the members asked about share a region', () => {
    const group = groups.group('11440100007483172Q344010602900801', [
      '11440100007483172Q344010602900802', '11440100007483172Q344010602900803', '11440100007483172Q3440106029006',
    ])!;
    expect(group.baseName).toBe('机动车驾驶证核发');
    expect(Object.fromEntries(group.members.map((m) => [m.entryId, m.distinguishing]))).toEqual({
      '11440100007483172Q344010602900801': '现役军人持军队（大中型客货车）驾驶证申请机动车驾驶证',
      '11440100007483172Q344010602900802': '退役军人持军队（小型汽车）驾驶证申请机动车驾驶证',
      '11440100007483172Q344010602900803': '现役军人持军队（小型汽车）驾驶证申请机动车驾驶证',
      // No sub-case in the source: the importer's variant is what its name adds to the catalogue name.
      '11440100007483172Q3440106029006': '增加准驾车型',
    });
  });

  it('tells same-named matters apart by region alone', () => {
    const group = groups.group('1144000000694016742440109001001')!;
    expect(group.members.map((m) => m.distinguishing).sort()).toEqual(['广东省', '广东省广州市']);
  });
});

describe('VariantGroups kept in step', () => {
  it('groups by similar names when there is no base name, and forgets removed members', () => {
    const groups = new VariantGroups();
    groups.upsert([
      matter('a', { name: '食品经营许可（新办）', applicants: ['企业法人'] }),
      matter('b', { name: '食品经营许可（延续）', applicants: ['企业法人'] }),
      matter('c', { name: '药品经营许可' }),
    ]);
    expect(groups.group('a')?.members.map((m) => m.distinguishing)).toEqual(['新办', '延续']);
    expect(groups.group('c')).toBeNull();
    groups.remove(['b']);
    expect(groups.group('a')).toBeNull();
  });

  it('falls back to applicants or department when names and regions agree', () => {
    const groups = new VariantGroups();
    groups.upsert([
      matter('p', { name: '社会保险登记', baseName: '社会保险登记', applicants: ['自然人'] }),
      matter('q', { name: '社会保险登记', baseName: '社会保险登记', applicants: ['企业法人'] }),
    ]);
    expect(groups.group('p')?.members.map((m) => [m.entryId, m.distinguishing])).toEqual([['p', '自然人'], ['q', '企业法人']]);
  });
});
