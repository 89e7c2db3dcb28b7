// Every error code and every action key the staff API can answer with is
// documented in README.md, where UI authors look for them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Actions } from './access.ts';
import { AdminErrorCodes } from './errors.ts';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('documents every error code with its status', () => {
    for (const [code, { status }] of Object.entries(AdminErrorCodes)) {
      expect(readme, code).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  it('documents every action key', () => {
    for (const action of Object.keys(Actions)) expect(readme, action).toContain(`\`${action}\``);
  });
});
