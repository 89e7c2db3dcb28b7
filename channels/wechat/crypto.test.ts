import { describe, expect, it } from 'vitest';
import { aesKeyBytes, createWechatCipher, pkcs7Pad, pkcs7Unpad } from './crypto.ts';
import { TestAesKey, TestAppId, wechatDecrypt, wechatEncrypt } from './testing.ts';

const xml = '<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Content><![CDATA[身份证丢了怎么补办]]></Content></xml>';

describe('safe-mode encryption', () => {
  const cipher = createWechatCipher(TestAesKey, TestAppId);

  it('decrypts what WeChat encrypts (the vector built in the test from the published algorithm)', () => {
    expect(cipher.decrypt(wechatEncrypt(xml))).toBe(xml);
  });

  it('encrypts what WeChat can decrypt, with our AppID at the end', () => {
    const encrypted = cipher.encrypt(xml);
    expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
    expect(wechatDecrypt(encrypted)).toEqual({ xml, appId: TestAppId });
  });

  it('uses a fresh random prefix each time', () => {
    expect(cipher.encrypt(xml)).not.toBe(cipher.encrypt(xml));
  });

  it('refuses a message meant for another AppID', () => {
    expect(() => cipher.decrypt(wechatEncrypt(xml, TestAesKey, 'wxsomeoneelse'))).toThrow(expect.objectContaining({ code: 'WECHAT_FOREIGN_APPID' }));
  });

  it('refuses a message under another key or a truncated one', () => {
    const otherKey = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
    expect(() => cipher.decrypt(wechatEncrypt(xml, otherKey))).toThrow(expect.objectContaining({ code: expect.stringMatching(/^WECHAT_(DECRYPT|FOREIGN_APPID)$/) }));
    expect(() => cipher.decrypt(wechatEncrypt(xml).slice(0, 20))).toThrow(expect.objectContaining({ code: 'WECHAT_DECRYPT' }));
  });

  it('pads to 32-byte blocks: a full block of 32 when already aligned', () => {
    expect(pkcs7Pad(Buffer.alloc(32)).length).toBe(64);
    expect(pkcs7Pad(Buffer.alloc(31))[31]).toBe(1);
    expect(pkcs7Unpad(pkcs7Pad(Buffer.from('abc'))).toString()).toBe('abc');
    expect(() => pkcs7Unpad(Buffer.from([1, 2, 33]))).toThrow();
  });

  it('checks the key is 43 characters of base64 for 32 bytes', () => {
    expect(aesKeyBytes(TestAesKey).length).toBe(32);
    expect(() => aesKeyBytes('short')).toThrow(expect.objectContaining({ code: 'WECHAT_CONFIG' }));
    expect(() => aesKeyBytes(`${TestAesKey.slice(0, 42)}!`)).toThrow(expect.objectContaining({ code: 'WECHAT_CONFIG' }));
  });
});
