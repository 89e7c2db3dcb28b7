// Every failure the knowledge base reports, with a stable code and an HTTP status
// so the channels can map them without knowing where they came from.
export const KnowledgeErrorCodes = {
  INVALID_ENTRY: { status: 400, message: 'invalid entry: %s' },
  NOT_FOUND: { status: 404, message: 'no entry with id %s' },
  ALREADY_EXISTS: { status: 409, message: 'an entry with id %s already exists' },
  VERSION_CONFLICT: { status: 409, message: 'entry %s has changed since version %s' },
  NOTHING_TO_PUBLISH: { status: 409, message: 'entry %s has no draft to publish' },
  BAD_IMPORT: { status: 400, message: 'cannot import %s' },
  UNKNOWN_FORMAT: { status: 400, message: 'unknown format %s' },
  SCHEMA_TOO_NEW: { status: 500, message: 'database schema version %s is newer than this program supports (%s)' },
} as const;

export type KnowledgeErrorCode = keyof typeof KnowledgeErrorCodes;

/** Fills a message template's %s placeholders in order: every part's error table uses this form. */
export function fillMessage(template: string, args: readonly (string | number)[]): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++] ?? ''));
}

export class KnowledgeError extends Error {
  readonly code: KnowledgeErrorCode;
  readonly statusCode: number;
  /** Structured details, e.g. the current entry on a version conflict. */
  readonly details: unknown;

  constructor(code: KnowledgeErrorCode, args: (string | number)[], options: { cause?: unknown; details?: unknown } = {}) {
    const def = KnowledgeErrorCodes[code];
    super(fillMessage(def.message, args), { cause: options.cause });
    this.name = 'KnowledgeError';
    this.code = code;
    this.statusCode = def.status;
    this.details = options.details;
  }
}
