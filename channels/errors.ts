// The channel layer's own failures, and the one error handler that maps every
// failure (ours, the knowledge base's, fastify's validation) to a JSON answer.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fillMessage } from '../knowledge/index.ts';

export const ChannelErrorCodes = {
  BAD_REQUEST: { status: 400, message: '%s' },
  UNAUTHORIZED: { status: 401, message: 'missing or invalid credentials' },
  FORBIDDEN: { status: 403, message: 'your role may not %s' },
  NOT_FOUND: { status: 404, message: '%s not found' },
  PRECONDITION_REQUIRED: { status: 428, message: 'the If-Match header with the entry version is required' },
  BAD_SIGNATURE: { status: 401, message: 'signature check failed' },
  UNAVAILABLE: { status: 503, message: '%s is not configured' },
} as const;

export type ChannelErrorCode = keyof typeof ChannelErrorCodes;

export class ChannelError extends Error {
  readonly code: ChannelErrorCode;
  readonly statusCode: number;

  constructor(code: ChannelErrorCode, arg = '', options: { cause?: unknown } = {}) {
    super(fillMessage(ChannelErrorCodes[code].message, [arg]), options);
    this.name = 'ChannelError';
    this.code = code;
    this.statusCode = ChannelErrorCodes[code].status;
  }
}

interface CodedError {
  code?: string;
  statusCode?: number;
  message: string;
  details?: unknown;
  validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[];
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const e = error as unknown as CodedError;
  if (e.validation) {
    // Name the field: fastify reports "body/text must be string"; we add the missing property's name.
    const first = e.validation[0]!;
    const missing = first.params?.['missingProperty'];
    const field = `${first.instancePath}${missing ? `/${String(missing)}` : ''}` || '/';
    void reply.status(400).send({ error: 'BAD_REQUEST', field, message: `${field} ${first.message ?? 'is invalid'}` });
    return;
  }
  const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(status).send({
    error: e.code ?? 'INTERNAL',
    message: status >= 500 ? 'internal error' : e.message,
    ...(e.details !== undefined && status === 409 ? { current: e.details } : {}),
  });
}
