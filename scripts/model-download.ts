// Downloads BAAI/bge-small-zh-v1.5 for the `transformers` embedding engine.
// Run by the operator, once, on a machine with internet access:
//
//   npm run model:download [-- OUTDIR] [--repo=OWNER/NAME] [--force]
//
// OUTDIR defaults to models/bge-small-zh-v1.5. BAAI's repository ships only the
// fp32 onnx/model.onnx; --repo=Xenova/bge-small-zh-v1.5 also has the quantized one.
// HF_ENDPOINT points at a mirror (e.g. https://hf-mirror.com); HF_TOKEN is sent
// when set. Files land under a temporary name and are renamed when complete, so an
// interrupted run never leaves a truncated model that looks whole.
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export const MODEL_REPO = 'BAAI/bge-small-zh-v1.5';
export const DEFAULT_MODEL_DIR = 'models/bge-small-zh-v1.5';

/** What the engine needs, and what only helps (sentence-transformers' pooling, the fp32 twin). */
export const MODEL_FILES: readonly { path: string; required: boolean }[] = [
  { path: 'config.json', required: true },
  { path: 'tokenizer.json', required: true },
  { path: 'tokenizer_config.json', required: true },
  { path: 'special_tokens_map.json', required: false },
  { path: 'vocab.txt', required: false },
  { path: '1_Pooling/config.json', required: false },
  { path: 'onnx/model.onnx', required: true },
  { path: 'onnx/model_quantized.onnx', required: false },
];

export class DownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  dir?: string;
  repo?: string;
  endpoint?: string;
  token?: string;
  /** Re-download files that already exist. */
  force?: boolean;
  log?: (line: string) => void;
}

export async function downloadModel(options: DownloadOptions = {}): Promise<string> {
  const dir = resolve(options.dir ?? DEFAULT_MODEL_DIR);
  const endpoint = (options.endpoint ?? 'https://huggingface.co').replace(/\/+$/, '');
  const repo = options.repo ?? MODEL_REPO;
  const log = options.log ?? (() => {});
  log(`downloading ${repo} from ${endpoint} into ${dir}`);

  for (const file of MODEL_FILES) {
    const target = join(dir, file.path);
    if (!options.force && (await stat(target).catch(() => null))?.isFile()) {
      log(`  ${file.path}: already present`);
      continue;
    }
    const url = `${endpoint}/${repo}/resolve/main/${file.path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        redirect: 'follow',
      });
    } catch (cause) {
      throw new DownloadError(
        `cannot reach ${endpoint} (${describeCause(cause)}). This machine seems to be offline: ` +
          `run the download where there is internet access and copy ${DEFAULT_MODEL_DIR} here, ` +
          'or set HF_ENDPOINT to a reachable mirror.',
        { cause },
      );
    }
    if (response.status === 404 && !file.required) {
      await response.body?.cancel();
      log(`  ${file.path}: not in the repository, skipped`);
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new DownloadError(`GET ${url} answered ${response.status} ${response.statusText}`);
    }
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.part`;
    const total = Number(response.headers.get('content-length')) || 0;
    const progress = progressReporter(file.path, total, log);
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => progress(chunk.length));
    try {
      await pipeline(body, createWriteStream(partial));
    } catch (cause) {
      await rm(partial, { force: true });
      throw new DownloadError(`download of ${url} broke off (${describeCause(cause)})`, { cause });
    }
    await rename(partial, target);
    progress(0, true);
  }
  log(`done: ${dir}`);
  return dir;
}

function progressReporter(name: string, total: number, log: (line: string) => void) {
  let received = 0;
  let lastStep = 0;
  return (bytes: number, finished = false) => {
    received += bytes;
    if (finished) {
      log(`  ${name}: ${formatSize(received)}`);
      return;
    }
    // A line every 10 % (every 10 MB when the size is unknown); the final line says the rest.
    const step = total > 0 ? Math.floor((received / total) * 10) : Math.floor(received / 10_000_000);
    if (step > lastStep && (total === 0 || step < 10)) {
      lastStep = step;
      log(`  ${name}: ${formatSize(received)}${total > 0 ? ` of ${formatSize(total)} (${step * 10} %)` : ''}`);
    }
  };
}

function formatSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} KB`;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    // undici hides the useful part (ENOTFOUND, ECONNREFUSED…) in cause.cause.
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const repo = args.find((a) => a.startsWith('--repo='))?.slice('--repo='.length);
  const dir = args.find((a) => !a.startsWith('--'));
  try {
    await downloadModel({
      dir,
      repo,
      force,
      endpoint: process.env.HF_ENDPOINT,
      token: process.env.HF_TOKEN,
      log: (line) => console.log(line),
    });
  } catch (error) {
    console.error(`model:download failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
