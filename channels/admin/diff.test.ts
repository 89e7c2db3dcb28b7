// The field-level diff: JSON pointers as the validator uses them, word lists
// with what came and went, lists of objects item by item.
import { describe, expect, it } from 'vitest';
import { matter } from '../../test/fixtures.ts';
import { changedFields, diffValues } from './diff.ts';

describe('diffValues', () => {
  it('names nested fields by JSON pointer and tells added, removed and changed apart', () => {
    const before = matter('m', {
      aliases: ['甲', '乙'], department: '民政局',
      materials: [{ name: '身份证', form: 'original', originals: 1, copies: 0, required: true }],
    });
    const { department: _department, ...rest } = before;
    const after = {
      ...rest, aliases: ['乙', '丙'], visits: 1,
      materials: [{ name: '居民身份证', form: 'original' as const, originals: 1, copies: 1, required: true }],
    };
    expect(diffValues(before, after)).toEqual([
      { field: '/aliases', change: 'changed', from: ['甲', '乙'], to: ['乙', '丙'], added: ['丙'], removed: ['甲'] },
      { field: '/department', change: 'removed', from: '民政局' },
      { field: '/materials/0/copies', change: 'changed', from: 0, to: 1 },
      { field: '/materials/0/name', change: 'changed', from: '身份证', to: '居民身份证' },
      { field: '/visits', change: 'changed', from: null, to: 1 },
    ]);
    expect(changedFields(before, after)).toEqual(['aliases', 'department', 'materials', 'visits']);
  });

  it('finds nothing between equal versions', () => {
    expect(diffValues(matter('m'), matter('m'))).toEqual([]);
  });
});
