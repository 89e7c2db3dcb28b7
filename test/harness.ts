// Builds the real stack (SQLite, analyzer, retriever, bot) and the real server for
// tests: in memory, seeded with the demo knowledge base unless told otherwise.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppConfig } from '../channels/app.ts';
import { openStack, type Stack, type StackOptions } from '../cli/stack.ts';

export async function testStack(options: Partial<StackOptions> = {}): Promise<Stack> {
  return openStack({ dbFile: ':memory:', seedDemo: true, ...options });
}

export async function testApp(config: Partial<AppConfig> = {}, options: Partial<StackOptions> = {}): Promise<{ app: FastifyInstance; stack: Stack }> {
  const stack = await testStack(options);
  const app = await buildApp({ logLevel: 'silent', ...config }, stack);
  app.addHook('onClose', async () => { await stack.close(); });
  return { app, stack };
}
