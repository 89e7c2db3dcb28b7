// Banshi's own export format: every field of every entry, so a knowledge base can
// be moved between installations or kept in version control without loss.
import { readFile } from 'node:fs/promises';
import { KnowledgeError } from '../errors.ts';
import type { Entry } from '../model.ts';
import type { ParsedSource } from './types.ts';

export const BANSHI_JSON_FORMAT = 'banshi-json';
/** Bump when a change to the model would make old files mean something else. */
export const BANSHI_JSON_VERSION = 1;

export interface BanshiJsonDocument {
  format: typeof BANSHI_JSON_FORMAT;
  version: typeof BANSHI_JSON_VERSION;
  exportedAt: string;
  entries: Entry[];
}

/** Serialises entries as a banshi-json document (pretty-printed, so diffs stay readable). */
export function writeBanshiJson(entries: Iterable<Entry>, options: { exportedAt?: string } = {}): string {
  const doc: BanshiJsonDocument = {
    format: BANSHI_JSON_FORMAT,
    version: BANSHI_JSON_VERSION,
    exportedAt: options.exportedAt ?? new Date().toISOString(),
    entries: [...entries],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Reads a banshi-json file. Each entry becomes a record located as `entries[N]`
 * and is validated later by importParsed. A file that is not JSON, not a
 * banshi-json document or of another version is refused as a whole (BAD_IMPORT
 * naming the file), since none of its entries can be trusted to mean what we think.
 */
export async function parseBanshiJson(path: string): Promise<ParsedSource> {
  const text = stripBom(await readFile(path, 'utf8'));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new KnowledgeError('BAD_IMPORT', [`${path}: ${describeJsonError(text, error)}`], { cause: error });
  }
  const fail = (reason: string): never => {
    throw new KnowledgeError('BAD_IMPORT', [`${path}: ${reason}`]);
  };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) fail('不是 banshi-json 文件（顶层应为对象）');
  const { format, version, entries } = doc as Record<string, unknown>;
  if (format !== BANSHI_JSON_FORMAT) {
    fail(`不是 banshi-json 文件（format 为 ${JSON.stringify(format) ?? '空'}，应为 "${BANSHI_JSON_FORMAT}"）`);
  }
  if (version !== BANSHI_JSON_VERSION) {
    fail(typeof version === 'number' && version > BANSHI_JSON_VERSION
      ? `文件版本 ${version} 比本程序支持的版本 ${BANSHI_JSON_VERSION} 新，请升级 Banshi 后再导入`
      : `不支持的文件版本 ${JSON.stringify(version) ?? '（缺失）'}，本程序支持版本 ${BANSHI_JSON_VERSION}`);
  }
  if (!Array.isArray(entries)) fail('缺少 entries 数组');
  return {
    records: (entries as unknown[]).map((entry, i) => ({ location: `entries[${i}]`, entry })),
    problems: [],
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Says where the JSON goes wrong as a line and column a person can go to. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = jsonErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `JSON 格式错误，第 ${line} 行第 ${column} 列（${message}）`;
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first syntax error in text that JSON.parse refused. V8's own
 * message gives a position for some errors only ("Unexpected token ',', … is not
 * valid JSON" has none on Node 20), so a small RFC 8259 scanner finds it.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text[i] !== char) fail();
    i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') { i++; return; }
      if (c === '\\') {
        i++;
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 4;
        else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      skipSpace();
      if (text[i] === close) { i++; return; }
      for (;;) {
        if (c === '{') {
          skipSpace();
          if (text[i] !== '"') fail();
          string();
          expect(':');
        }
        value();
        skipSpace();
        if (text[i] === ',') { i++; continue; }
        expect(close);
        return;
      }
    }
    if (c === '"') return string();
    const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = i;
    if (!literal.test(text)) fail();
    i = literal.lastIndex;
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail();
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return error.offset;
    // Nesting too deep to scan: point at the end rather than nowhere.
    if (error instanceof RangeError) return text.length;
    throw error;
  }
  return text.length;
}
