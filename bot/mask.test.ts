import { describe, expect, it } from 'vitest';
import { maskPersonalData } from './mask.ts';

describe('maskPersonalData', () => {
  it('masks ID card numbers, keeping only the region prefix and the last four', () => {
    expect(maskPersonalData('我的身份证号是44010619900101123X，帮我查')).toBe('我的身份证号是440106********123X，帮我查');
    expect(maskPersonalData('旧证110105900101123')).toBe('旧证110105********1123');
  });

  it('masks mobile and landline numbers but not service hotlines or dates', () => {
    expect(maskPersonalData('电话13812345678')).toBe('电话138****5678');
    expect(maskPersonalData('打+86 138 1234 5678找我')).toBe('打+86 138****5678找我');
    expect(maskPersonalData('座机020-83134173')).toBe('座机020-****4173');
    expect(maskPersonalData('请拨打12345或者2024年1月办理')).toBe('请拨打12345或者2024年1月办理');
  });
});
