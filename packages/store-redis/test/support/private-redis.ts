/**
 * A private redis-server for tests that need their own configuration (persistence settings, a
 * disabled CONFIG command, a script cache of their own): on a free port on 127.0.0.1, in a temp
 * directory, nothing saved, stopped by its own PID. With CI=true a missing redis-server binary
 * fails the test; elsewhere `privateRedisMissing` says why the tests are skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const BINARY = 'redis-server';
const START_TIMEOUT_MS = 10_000;

function missingReason(): string | null {
  const found = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  return found.error === undefined ? null : `${BINARY} is not installed (${found.error.message})`;
}

const missing = missingReason();
if (missing !== null && process.env.CI === 'true') throw new Error(`${missing}: needed with CI=true`);
if (missing !== null) console.warn(`[store-redis] skipping private Redis tests: ${missing}`);

/** Why private Redis tests cannot run here, or null. */
export const privateRedisMissing = missing;

export interface PrivateRedis {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  });
}

/** Starts redis-server with `args` (e.g. `['--appendonly', 'yes']`) added to the defaults. */
export async function startPrivateRedis(args: readonly string[] = []): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-redis-'));
  const port = await freePort();
  const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...args], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop };
}
