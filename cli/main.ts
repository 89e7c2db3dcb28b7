// The `banshi` command: a thin dispatcher; each command lives in cli/commands/.
import { UsageError } from './args.ts';

const HELP = `banshi — 办事 government-service assistant

Usage:
  banshi serve                                   start the server (npm start)
  banshi kb import --format F PATH [--db FILE]   F: gd-matters, tpe-faq, faq-csv, faq-xlsx, banshi-json
  banshi kb export --format json|csv|xlsx [--out FILE] [--db FILE]
  banshi kb stats [--db FILE] [--json]
  banshi chat [--db FILE]                        talk to the bot in the terminal
  banshi eval --cases FILE … [--import F:PATH …] [--db FILE] [--json OUT] [--html OUT]
  banshi bench [--kb demo|shared|synthetic-100k …] [--json OUT]
               [--channels [--seconds N] [--sessions 1,50,200] [--workers N] [--rate TURNS_PER_S]]
                                                 retrieval and channel benchmarks
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.ts')).serve,
  kb: async () => (await import('./commands/kb.ts')).kb,
  chat: async () => (await import('./commands/chat.ts')).chat,
  eval: async () => (await import('./commands/eval.ts')).evaluate,
  bench: async () => (await import('./commands/bench.ts')).bench,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`banshi: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`banshi ${name}: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`banshi ${name}: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
