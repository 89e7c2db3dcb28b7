// The channels: the server and every way citizens and staff reach Banshi.
export { buildApp, AppDefaults, type AppConfig } from './app.ts';
export { loggerOptions } from './logger.ts';
export type { ChannelDeps } from './context.ts';
