/** The SDK suite in library mode: createLocalClient over an engine on a temp SQLite file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalClient } from '@docket/client-local';
import { createEngine } from '@docket/core';
import { createSqliteStore } from '@docket/store-sqlite';
import { runSdkSuite } from './sdk-suite.ts';

runSdkSuite('an in-process engine', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'docket-sdk-local-'));
  const store = createSqliteStore({ path: join(dir, 'docket.db') });
  await store.migrate();
  const engine = createEngine({ store });
  engine.start();
  return {
    client: createLocalClient({ engine }),
    async close() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
