// One configuration schema with defaults, read from the environment once at boot
// and frozen; each part receives only its slice.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  host: Type.String({ default: '127.0.0.1' }),
  /** Server processes sharing the port: one Node process runs turns on one core. */
  workers: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
  dataDir: Type.String({ default: './data' }),
  /** The address citizens reach the server at (QR codes, links in WeChat answers). */
  publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  adminToken: Type.Optional(Type.String({ minLength: 1 })),
  wechat: Type.Object({
    token: Type.Optional(Type.String({ minLength: 1 })),
    appId: Type.Optional(Type.String({ minLength: 1 })),
    secret: Type.Optional(Type.String({ minLength: 1 })),
    aesKey: Type.Optional(Type.String({ minLength: 43, maxLength: 43 })),
  }),
  embedModelDir: Type.Optional(Type.String({ minLength: 1 })),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

const envNames: Record<string, string> = {
  '/port': 'PORT', '/host': 'HOST', '/workers': 'WORKERS (a number of processes, or "auto")', '/dataDir': 'DATA_DIR', '/publicUrl': 'PUBLIC_URL (http(s)://…)', '/adminToken': 'ADMIN_TOKEN',
  '/wechat/token': 'WECHAT_TOKEN', '/wechat/appId': 'WECHAT_APPID', '/wechat/secret': 'WECHAT_SECRET', '/wechat/aesKey': 'WECHAT_AES_KEY (43 characters)',
  '/embedModelDir': 'EMBED_MODEL_DIR', '/logLevel': 'LOG_LEVEL',
};

function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Reads the environment; throws an Error naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw = {
    port: env.PORT ? Number(env.PORT) : undefined,
    host: optional(env.HOST),
    workers: env.WORKERS === 'auto' ? availableParallelism() : optional(env.WORKERS) === undefined ? undefined : Number(env.WORKERS),
    dataDir: optional(env.DATA_DIR),
    publicUrl: optional(env.PUBLIC_URL),
    adminToken: optional(env.ADMIN_TOKEN),
    wechat: { token: optional(env.WECHAT_TOKEN), appId: optional(env.WECHAT_APPID), secret: optional(env.WECHAT_SECRET), aesKey: optional(env.WECHAT_AES_KEY) },
    embedModelDir: optional(env.EMBED_MODEL_DIR),
    logLevel: optional(env.LOG_LEVEL),
    ...overrides,
  };
  const withDefaults = Value.Default(ConfigSchema, Value.Clean(ConfigSchema, structuredClone(raw)));
  const problems = [...Value.Errors(ConfigSchema, withDefaults)];
  if (problems.length > 0) {
    const names = [...new Set(problems.map((p) => envNames[p.path] ?? p.path))];
    throw new Error(`invalid configuration: ${names.join(', ')} (${problems[0]!.message})`);
  }
  const config = withDefaults as Static<typeof ConfigSchema>;
  config.dataDir = resolve(config.dataDir);
  return Object.freeze(config);
}

export function databasePath(config: Pick<Config, 'dataDir'>): string {
  return resolve(config.dataDir, 'banshi.db');
}
