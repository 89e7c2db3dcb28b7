// Every failure retrieval reports, with a stable code and an HTTP status so the
// channels can map them without knowing where they came from. Add codes here
// rather than throwing bare Errors, so the operator sees the same wording in
// logs, the CLI and the admin API.
import { fillMessage } from '../knowledge/index.ts';

export const RetrievalErrorCodes = {
  EMBED_MODEL_MISSING: {
    status: 503,
    message: 'embedding model directory %s does not exist (run `npm run model:download` to fetch it)',
  },
  EMBED_MODEL_INCOMPLETE: { status: 503, message: 'embedding model directory %s lacks %s' },
  EMBED_MODEL_INVALID: { status: 503, message: 'embedding model at %s is invalid: %s' },
  EMBED_POOLING_UNSUPPORTED: { status: 503, message: 'embedding model at %s asks for unsupported pooling %s' },
  EMBED_MODEL_LOAD_FAILED: { status: 503, message: 'cannot load embedding model from %s' },
  EMBED_FAILED: { status: 500, message: 'embedding model %s failed on a batch of %s texts' },
} as const;

export type RetrievalErrorCode = keyof typeof RetrievalErrorCodes;

export class RetrievalError extends Error {
  readonly code: RetrievalErrorCode;
  readonly statusCode: number;
  /** Structured details, e.g. which files a model directory lacks. */
  readonly details: unknown;

  constructor(code: RetrievalErrorCode, args: (string | number)[], options: { cause?: unknown; details?: unknown } = {}) {
    const def = RetrievalErrorCodes[code];
    super(fillMessage(def.message, args), { cause: options.cause });
    this.name = 'RetrievalError';
    this.code = code;
    this.statusCode = def.status;
    this.details = options.details;
  }
}
