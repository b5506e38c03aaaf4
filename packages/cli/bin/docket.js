#!/usr/bin/env node
// The `docket` command: runs the build of the workspace's TypeScript sources (build.js), made
// again first whenever a source changed. One process, so a supervisor's signal (or a test's
// kill -9) reaches the server itself.
import { ensureBuild } from './build.js';

await import(await ensureBuild());
