/**
 * The shared backends system tests run Docket servers over: the machine's Redis and PostgreSQL,
 * each test on a fresh key prefix or schema that it removes afterwards.
 *
 * A backend that is down fails the test under CI (CI=true), where it must be up; elsewhere the
 * test is skipped with the reason printed, never silently.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface Backend {
  readonly name: 'redis' | 'postgres';
  readonly host: string;
  readonly port: number;
  /** A `--store` URL for a fresh namespace, reaching the backend through `port` (a proxy's, say). */
  storeUrl(namespace: string, port?: number): string;
  /** A fresh namespace name (key prefix or schema). */
  namespace(): string;
  /** Deletes everything of the namespace. */
  drop(namespace: string): Promise<void>;
}

const redis: Backend = {
  name: 'redis',
  host: '127.0.0.1',
  port: 6379,
  storeUrl: (namespace, port = 6379) => `redis://127.0.0.1:${port}/0?prefix=${namespace}`,
  namespace: () => `docket-sys-${randomBytes(6).toString('hex')}`,
  async drop(namespace) {
    const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await client.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `*${namespace}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await client.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  },
};

const postgres: Backend = {
  name: 'postgres',
  host: '127.0.0.1',
  port: 5432,
  storeUrl: (namespace, port = 5432) => `postgres://postgres@127.0.0.1:${port}/test?schema=${namespace}`,
  namespace: () => `docket_sys_${randomBytes(6).toString('hex')}`,
  async drop(namespace) {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
    } finally {
      await client.end();
    }
  },
};

export const BACKENDS: readonly Backend[] = [redis, postgres];

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Checks the backend is up before a describe block runs. Returns true when the tests can run;
 * under CI a missing backend throws, elsewhere it prints why the tests are skipped.
 */
export async function backendAvailable(backend: Backend): Promise<boolean> {
  if (await reachable(backend.host, backend.port)) return true;
  const why = `${backend.name} is not reachable on ${backend.host}:${backend.port}`;
  if (process.env['CI'] === 'true') throw new Error(`${why}: CI requires it (.ci/run starts it)`);
  console.warn(`skipping ${backend.name} system tests: ${why}`);
  return false;
}
