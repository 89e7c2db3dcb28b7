import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sameSignature, verifyMessageSignature, verifyRequestSignature, wechatSignature } from './signature.ts';

describe('WeChat signatures', () => {
  it('is sha1 of the sorted parts joined, independent of argument order', () => {
    // Sorted: "1409304348" < "xxxxxx" < "yyyyyy" (ASCII order).
    const expected = createHash('sha1').update('1409304348xxxxxxyyyyyy').digest('hex');
    expect(wechatSignature('yyyyyy', '1409304348', 'xxxxxx')).toBe(expected);
    expect(wechatSignature('xxxxxx', 'yyyyyy', '1409304348')).toBe(expected);
  });

  it('accepts the right signature and refuses a changed one', () => {
    const good = wechatSignature('token', '1700000000', '42');
    expect(verifyRequestSignature('token', '1700000000', '42', good)).toBe(true);
    expect(verifyRequestSignature('token', '1700000001', '42', good)).toBe(false);
    expect(verifyRequestSignature('other', '1700000000', '42', good)).toBe(false);
    expect(verifyRequestSignature('token', '1700000000', '42', good.slice(0, 39))).toBe(false);
    expect(verifyRequestSignature('token', '1700000000', '42', '')).toBe(false);
  });

  it('covers the Encrypt value in msg_signature', () => {
    const good = wechatSignature('token', '1700000000', '42', 'ENCRYPTED');
    expect(verifyMessageSignature('token', '1700000000', '42', 'ENCRYPTED', good)).toBe(true);
    expect(verifyMessageSignature('token', '1700000000', '42', 'ENCRYPTEE', good)).toBe(false);
  });

  it('compares case-insensitively and by length first', () => {
    expect(sameSignature('abcdef', 'ABCDEF')).toBe(true);
    expect(sameSignature('abcdef', 'abcde')).toBe(false);
  });
});
