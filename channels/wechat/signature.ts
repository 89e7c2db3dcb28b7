// WeChat's request signatures: sha1 over the sorted parts, compared in constant
// time so that a forger learns nothing from how long a refusal takes.
import { createHash, timingSafeEqual } from 'node:crypto';

/** sha1 hex of the parts sorted as strings and joined with nothing, as WeChat computes it. */
export function wechatSignature(...parts: string[]): string {
  const joined = [...parts].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Constant-time equality of two signatures (hex, case-insensitive as WeChat sends lower case). */
export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  // Lengths are public (a sha1 is always 40 hex digits); only the content comparison must not leak.
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** The plain `signature` query parameter: sorted [token, timestamp, nonce]. */
export function verifyRequestSignature(token: string, timestamp: string, nonce: string, signature: string): boolean {
  return sameSignature(wechatSignature(token, timestamp, nonce), signature);
}

/** Safe mode's `msg_signature`: sorted [token, timestamp, nonce, Encrypt]. */
export function verifyMessageSignature(token: string, timestamp: string, nonce: string, encrypted: string, signature: string): boolean {
  return sameSignature(wechatSignature(token, timestamp, nonce, encrypted), signature);
}
