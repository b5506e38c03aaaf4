/**
 * The readiness check behind `probe()`: one `SELECT 1` through the pool, bounded by
 * PROBE_TIMEOUT_MS so `/readyz` answers promptly even when the database hangs. Never rejects.
 */
import type pg from 'pg';

/** Shorter than a load balancer's health-check timeout (commonly 5 s). */
export const PROBE_TIMEOUT_MS = 2_000;

export async function probeDatabase(pool: pg.Pool): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`postgres did not answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
  });
  const check = pool.query('SELECT 1').then(
    () => null,
    (err: unknown) => `postgres unreachable: ${err instanceof Error ? err.message : String(err)}`,
  );
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
