#!/usr/bin/env node
// The `docket` command. Docket runs its TypeScript sources directly (no build step): this shim
// registers tsx's ESM loader in this very process, then loads the CLI. One process, so a
// supervisor's signal (or a test's kill -9) reaches the server itself.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
