// Safe mode (安全模式): WeChat's message encryption. AES-256-CBC with the key from
// the 43-character EncodingAESKey, IV = the key's first 16 bytes, PKCS#7 padding
// to 32-byte blocks (not AES's 16), and a plaintext framed as
// 16 random bytes + 4-byte big-endian length + XML + AppID.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { WechatError } from './errors.ts';

const BLOCK = 32;

export interface WechatCipher {
  encrypt(xml: string): string;
  /** The XML inside; throws WECHAT_DECRYPT when it cannot be read, WECHAT_FOREIGN_APPID when meant for another account. */
  decrypt(encrypted: string): string;
}

/** The 32-byte key behind an EncodingAESKey; throws WECHAT_CONFIG when it is not one. */
export function aesKeyBytes(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) {
    throw new WechatError('WECHAT_CONFIG', 'WECHAT_AES_KEY must be 43 characters of base64');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WechatError('WECHAT_CONFIG', 'WECHAT_AES_KEY must decode to 32 bytes');
  return key;
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const n = data.length > 0 ? data[data.length - 1]! : 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new WechatError('WECHAT_DECRYPT', 'bad padding');
  return data.subarray(0, data.length - n);
}

export function createWechatCipher(encodingAesKey: string, appId: string): WechatCipher {
  const key = aesKeyBytes(encodingAesKey);
  const iv = key.subarray(0, 16);
  return {
    encrypt(xml) {
      const body = Buffer.from(xml, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length, 0);
      const plain = pkcs7Pad(Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, 'utf8')]));
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    },
    decrypt(encrypted) {
      const data = Buffer.from(encrypted, 'base64');
      if (data.length === 0 || data.length % 16 !== 0) throw new WechatError('WECHAT_DECRYPT', 'not a whole number of AES blocks');
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
        plain = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
      } catch (error) {
        if (error instanceof WechatError) throw error;
        throw new WechatError('WECHAT_DECRYPT', 'AES failed', { cause: error });
      }
      if (plain.length < 20) throw new WechatError('WECHAT_DECRYPT', 'too short');
      const length = plain.readUInt32BE(16);
      if (20 + length > plain.length) throw new WechatError('WECHAT_DECRYPT', 'length beyond the message');
      const xml = plain.subarray(20, 20 + length).toString('utf8');
      const from = plain.subarray(20 + length).toString('utf8');
      if (from !== appId) throw new WechatError('WECHAT_FOREIGN_APPID', '');
      return xml;
    },
  };
}
