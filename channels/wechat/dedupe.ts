// WeChat retries a message it got no answer to within 5 seconds (three tries in
// all). Keeping the reply's promise per message key lets a retry await the same
// answer instead of asking the bot again, so the citizen sees one answer and the
// turn is logged once.

export interface TtlCacheOptions {
  maxEntries: number;
  ttlMs: number;
  now?: () => number;
}

/** A bounded map whose entries expire; the oldest entry goes first when full. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions) {
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V): void {
    // Re-inserting moves the key to the end of Map's insertion order: least recent first.
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** The message's identity across WeChat's retries: MsgId for messages, sender + time (+ event) for events. */
export function messageKey(fields: Record<string, string>): string {
  if (fields['MsgId']) return `msg:${fields['MsgId']}`;
  return `event:${fields['FromUserName'] ?? ''}:${fields['CreateTime'] ?? ''}:${fields['Event'] ?? ''}:${fields['EventKey'] ?? ''}`;
}

/**
 * Starts work once per key while the key is remembered; every caller with the
 * same key gets the same value (typically holding the reply's promise), whether
 * the first is still computing or done.
 */
export class Dedupe<V> {
  private readonly cache: TtlCache<V>;

  constructor(options: TtlCacheOptions) {
    this.cache = new TtlCache(options);
  }

  /** The shared value, and whether this call started it. */
  run(key: string, start: () => V): { value: V; first: boolean } {
    const known = this.cache.get(key);
    if (known !== undefined) return { value: known, first: false };
    const value = start();
    this.cache.set(key, value);
    return { value, first: true };
  }
}
