#!/usr/bin/env node
// The bin stays plain JavaScript so `npx banshi` works without a build step;
// tsx compiles the TypeScript sources on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
