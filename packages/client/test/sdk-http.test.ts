/** The SDK suite over HTTP against a real `docket serve` child process (SQLite in a temp dir). */
import { createClient } from '@docket/client';
import { makeDataDir, removeDataDir, startServer } from '../../../test/support/server-process.ts';
import { runSdkSuite } from './sdk-suite.ts';

runSdkSuite('HTTP (docket serve)', async () => {
  const dataDir = await makeDataDir('docket-sdk-');
  const server = await startServer({ dataDir });
  return {
    client: createClient({ url: server.url }),
    async close() {
      await server.stop('SIGTERM');
      await removeDataDir(dataDir);
    },
  };
});
