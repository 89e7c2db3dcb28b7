// The composition root: opens the database, seeds the demo on first start, builds
// the analyzer, the retriever and the bot. The server, the terminal chat, the
// eval suite and the tests all assemble Banshi here, the same way.
import { join } from 'node:path';
import { createBot, type Bot } from '../bot/index.ts';
import { KnowledgeStore, checkpointInBackground, openDatabase, seedDemoIfEmpty, type Db } from '../knowledge/index.ts';
import {
  createAnalyzer, createRetriever, createTransformersEmbedder, type Analyzer, type Retriever, type RetrieverConfig,
} from '../retrieval/index.ts';

export interface StackOptions {
  /** SQLite file, or ':memory:'. */
  dbFile: string;
  /** Where the dense index is persisted; none keeps it in memory. */
  indexDir?: string;
  /** Load the demo knowledge base when the database has never held an entry. */
  seedDemo: boolean;
  /** A local sentence-embedding model; without it the builtin engine is used. */
  embedModelDir?: string;
  retrieval?: Partial<RetrieverConfig>;
  /** The bot's group-commit window (BotDeps.commitWindowMs); none commits each turn before its reply. */
  commitWindowMs?: number;
}

/** A server's group-commit window: far below the seconds between a citizen's messages. */
export const ServerCommitWindowMs = 5;

export interface Stack {
  db: Db;
  store: KnowledgeStore;
  analyzer: Analyzer;
  retriever: Retriever;
  bot: Bot;
  close(): Promise<void>;
}

export async function openStack(options: StackOptions): Promise<Stack> {
  const db = openDatabase(options.dbFile);
  const checkpointer = options.dbFile === ':memory:' ? null : checkpointInBackground(db);
  const store = new KnowledgeStore(db);
  if (options.seedDemo) await seedDemoIfEmpty(store);
  const analyzer = createAnalyzer();
  const embedder = options.embedModelDir ? await createTransformersEmbedder({ modelDir: options.embedModelDir }) : undefined;
  const retriever = await createRetriever({
    ...(options.indexDir ? { dataDir: options.indexDir } : {}),
    engine: embedder ? 'transformers' : 'builtin',
    ...options.retrieval,
  }, { store, analyzer, ...(embedder ? { embedder } : {}) });
  const bot = createBot({ db, retriever, ...(options.commitWindowMs ? { commitWindowMs: options.commitWindowMs } : {}) });
  return {
    db, store, analyzer, retriever, bot,
    async close() {
      bot.flush();
      await retriever.close();
      await checkpointer?.stop();
      db.close();
    },
  };
}

/**
 * The stack a server or `banshi chat` runs on: SQLite and the index under DATA_DIR.
 * Server workers after the first (`slot`) persist their index in a directory of
 * their own: each writes its index as it stands, and two writers would mix files.
 */
export function stackOptionsFor(config: { dataDir: string; embedModelDir?: string | undefined }, dbFile?: string, slot = 1): StackOptions {
  return {
    dbFile: dbFile ?? join(config.dataDir, 'banshi.db'),
    indexDir: slot > 1 ? join(config.dataDir, 'index', `worker-${slot}`) : join(config.dataDir, 'index'),
    seedDemo: dbFile === undefined,
    commitWindowMs: ServerCommitWindowMs,
    ...(config.embedModelDir ? { embedModelDir: config.embedModelDir } : {}),
  };
}
