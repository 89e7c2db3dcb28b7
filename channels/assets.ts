// The static files of a channel's ./public folder, read once at startup. Only
// known kinds are served, so nothing else in a folder is served by accident.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname } from 'node:path';

const ContentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  type: string;
  /** A strong validator from the content, for conditional requests. */
  etag: string;
  ext: string;
}

export async function loadAssets(dir: URL): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of await readdir(dir)) {
    const ext = extname(name);
    const type = ContentTypes[ext];
    if (!type) continue;
    const body = await readFile(new URL(name, dir));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { body, type, etag, ext });
  }
  return assets;
}
