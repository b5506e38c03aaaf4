/**
 * The backend clock against the real server's clock_timestamp(). Why PostgreSQL-specific: the
 * point is agreement with the database's own clock, read over a real connection.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createBackendClock, REFRESH_MS } from '../src/backend-clock.ts';
import { adminPool, describePostgres, POSTGRES_URL } from './support/postgres.ts';

/** Half a loopback round trip plus the ms the reading floors, with room for a loaded machine. */
const CLOCK_ERROR_MS = 5;

async function databaseNow(): Promise<number> {
  const { rows } = await adminPool().query<{ now: number }>(
    'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now',
  );
  return rows[0]?.now ?? Number.NaN;
}

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

function poolOf(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max });
  pools.push(pool);
  return pool;
}

describePostgres('backend clock', () => {
  it('agrees with clock_timestamp() across refreshes', async () => {
    const pool = poolOf(2);
    const clock = createBackendClock(pool);
    const client = await pool.connect();
    let refreshes = 0;
    pool.on('acquire', () => {
      refreshes += 1;
    });
    const deadline = Date.now() + 2.5 * REFRESH_MS;
    let samples = 0;
    try {
      while (Date.now() < deadline) {
        const before = await databaseNow();
        const now = await clock.now(client);
        const after = await databaseNow();
        expect(now).toBeGreaterThanOrEqual(Math.floor(before) - CLOCK_ERROR_MS);
        expect(now).toBeLessThanOrEqual(after + CLOCK_ERROR_MS);
        samples += 1;
        await sleep(50);
      }
    } finally {
      client.release();
    }
    expect(samples).toBeGreaterThan(20);
    expect(refreshes).toBeGreaterThanOrEqual(2);
  });

  it('takes its first reading over the caller connection, so a pool with every connection lent does not block it', async () => {
    const pool = poolOf(1);
    const clock = createBackendClock(pool);
    const client = await pool.connect();
    try {
      const before = await databaseNow();
      const now = await clock.now(client);
      expect(now).toBeGreaterThanOrEqual(Math.floor(before) - CLOCK_ERROR_MS);
    } finally {
      client.release();
    }
  });
});
