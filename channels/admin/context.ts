// What every staff route module is given, and the small helpers they share:
// the caller's actor name, the If-Match version, and "make the change live now".
import type { FastifyRequest } from 'fastify';
import type { ChannelContext } from '../context.ts';
import type { StaffAccounts } from './accounts.ts';
import { staffOf } from './access.ts';
import { AdminError } from './errors.ts';

export interface AdminSettings {
  /** The operator's bootstrap credential (CONTRACTS §1); unset refuses every staff call. */
  token?: string;
  /** Retrieval confidence at or above which a wording already belongs to another entry. */
  conflictThreshold: number;
  /** Local time for per-day and per-hour figures, in minutes east of UTC (480: China, Taiwan). */
  timezoneOffsetMinutes: number;
  /** Largest file accepted by import and batch test, in bytes. */
  uploadLimit: number;
}

export const AdminDefaults: Readonly<AdminSettings> = Object.freeze({
  conflictThreshold: 0.9,
  timezoneOffsetMinutes: 480,
  uploadLimit: 20 * 1024 * 1024,
});

export interface AdminContext {
  ctx: ChannelContext;
  accounts: StaffAccounts;
  settings: AdminSettings;
}

export function actorOf(request: FastifyRequest): string {
  return staffOf(request).username;
}

/** The version in If-Match: `3`, `"3"` or `W/"3"`; null when the header is absent. */
export function ifMatch(request: FastifyRequest): number | null {
  const header = request.headers['if-match'];
  if (header === undefined) return null;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(Array.isArray(header) ? header[0] ?? '' : header);
  if (!match) throw new AdminError('BAD_REQUEST', ['If-Match 须为条目版本号，例如 If-Match: 3'], { fields: { field: 'If-Match' } });
  return Number(match[1]);
}

export function requireIfMatch(request: FastifyRequest): number {
  const version = ifMatch(request);
  if (version === null) throw new AdminError('PRECONDITION_REQUIRED');
  return version;
}

/** `?force=true` (or 1) overrides the alternate-conflict check. */
export function forced(query: unknown): boolean {
  const force = (query as { force?: unknown } | undefined)?.force;
  return force === 'true' || force === '1' || force === true;
}
