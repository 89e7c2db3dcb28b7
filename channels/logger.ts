// pino options for fastify: every string that reaches a log line is masked first.
import type { LoggerOptions } from 'pino';
import { maskPersonalData } from '../bot/index.ts';

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 4 || !value || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: maskPersonalData(value.message), stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  // Class instances (fastify's request and reply) go to pino's serializers untouched.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    hooks: {
      logMethod(args, method) {
        // pino's own fastify objects (req/res) go through serializers; everything else is masked here.
        method.apply(this, args.map((a) => maskDeep(a)) as Parameters<typeof method>);
      },
    },
    serializers: {
      req: (req: { method: string; url?: string; id: string }) => ({ id: req.id, method: req.method, url: maskPersonalData(req.url ?? '') }),
    },
  };
}
