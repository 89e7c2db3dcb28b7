import { describe, expect, it } from 'vitest';
import { menuAction } from './menu.ts';

describe('menu EventKeys', () => {
  it('reads the question from an ASK: key', () => {
    expect(menuAction('ASK:身份证补领')).toEqual({ type: 'ask', text: '身份证补领' });
    expect(menuAction('ASK:')).toBeNull();
  });

  it('knows the built-in keys and the configured ones, and nothing else', () => {
    expect(menuAction('WELCOME')).toEqual({ type: 'welcome' });
    expect(menuAction('HUMAN')).toEqual({ type: 'ask', text: '转人工' });
    expect(menuAction('PASSPORT', { PASSPORT: '办护照要带什么' })).toEqual({ type: 'ask', text: '办护照要带什么' });
    expect(menuAction('toString')).toBeNull();
    expect(menuAction('UNKNOWN')).toBeNull();
  });
});
