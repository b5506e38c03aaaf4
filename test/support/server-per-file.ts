/**
 * One `docket serve` process on a fresh data directory for a whole test file: started before the
 * file's tests, then killed (by its own PID) and its directory removed after them. Tests read
 * `served.server` once the file's tests run.
 */
import { afterAll, beforeAll } from 'vitest';
import { killAllServers, makeDataDir, removeDataDir, startServer, type ServerProcess } from './server-process.ts';

export interface ServedFile {
  readonly server: ServerProcess;
  /** Stops the server gracefully and starts it again on the same data directory and port. */
  restart(): Promise<void>;
}

export interface ServedFileOptions {
  readonly alsoAfter?: () => Promise<void>;
  /** More `docket serve` flags. */
  readonly args?: readonly string[];
}

export function serverPerFile(options: ServedFileOptions = {}): ServedFile {
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = await makeDataDir();
    server = await startServer({ dataDir, ...(options.args === undefined ? {} : { args: options.args }) });
  });
  afterAll(async () => {
    await options.alsoAfter?.();
    await killAllServers();
    if (dataDir !== undefined) await removeDataDir(dataDir);
  });
  const current = (): ServerProcess => {
    if (server === undefined) throw new Error('the server starts in beforeAll: read it inside a test');
    return server;
  };
  return {
    get server(): ServerProcess {
      return current();
    },
    async restart(): Promise<void> {
      const { port } = current();
      await current().stop('SIGTERM');
      server = await startServer({
        dataDir: dataDir ?? '',
        port,
        ...(options.args === undefined ? {} : { args: options.args }),
      });
    },
  };
}
