/**
 * The database's clock, read without a round trip per operation. Backend time (rebase.ts) needs
 * the database's `now` in every lease, ack, nack and extend; reading clock_timestamp() first
 * cost each of those single-statement operations a second round trip. Instead this module reads
 * the clock once, then every REFRESH_MS in the background, and extrapolates from the last
 * reading with the process's monotonic clock (so a step of the local wall clock changes
 * nothing).
 *
 * Invariants:
 * - `now()` is the database's clock as of the call, within half the round trip of the last
 *   reading plus the drift of the local monotonic clock since then (ppm over a second), so
 *   within a few milliseconds under load and well under one on a quiet connection;
 * - a reading is only ever replaced by a newer one whose round trip was not much slower
 *   (SLOWER_ROUND_TRIP_FACTOR; the midpoint of a slow round trip says little), or by any newer
 *   one once it is MAX_READING_AGE_MS old; so a step of the database's clock is followed within
 *   REFRESH_MS while round trips are steady, and within MAX_READING_AGE_MS whatever they do;
 * - at most one reading is in flight; until the first one has answered, `now()` waits for it
 *   and rejects with its error (the database is unreachable: the operation fails as it would
 *   have anyway). The first reading goes over the calling operation's own connection, so
 *   operations holding every pooled connection never wait for a connection of the clock's;
 *   refreshes go through the pool, and nobody waits for them. A failed refresh keeps the last
 *   reading, which is still extrapolated.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { UnavailableError } from '@docket/protocol';

/** How long after asking for a reading `now()` asks for the next one, in the background. */
export const REFRESH_MS = 1_000;

/** A reading this much older is replaced by the next one, however slow its round trip. */
export const MAX_READING_AGE_MS = 10_000;
/** A newer reading replaces the last one when its round trip took at most this many times as long… */
const SLOWER_ROUND_TRIP_FACTOR = 2;
/** …or at most this long: below it a round trip's midpoint is good enough anyway. */
const STEADY_ROUND_TRIP_MS = 2;

const READ_CLOCK = 'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now';

interface Reading {
  /** The database's clock, in ms since the epoch (fractional). */
  readonly backendMs: number;
  /** The monotonic clock halfway through the round trip that read it. */
  readonly localMs: number;
  readonly roundTripMs: number;
}

export interface BackendClock {
  /**
   * The database's clock now, in whole ms since the epoch. `via` is the caller's connection,
   * used only while there is no reading yet.
   */
  now(via: pg.ClientBase): Promise<number>;
}

/** The process's monotonic clock in ms; tests pass their own. */
export type Monotonic = () => number;

export function createBackendClock(pool: pg.Pool, monotonic: Monotonic = () => performance.now()): BackendClock {
  let last: Reading | undefined;
  let reading: Promise<Reading> | undefined;
  /** When the last reading was asked for: refreshes are REFRESH_MS apart, taken or not. */
  let askedAt = Number.NEGATIVE_INFINITY;

  const better = (fresh: Reading, old: Reading): boolean =>
    fresh.localMs > old.localMs &&
    (fresh.roundTripMs <= Math.max(STEADY_ROUND_TRIP_MS, SLOWER_ROUND_TRIP_FACTOR * old.roundTripMs) ||
      fresh.localMs - old.localMs > MAX_READING_AGE_MS);

  /** Times the round trip alone: a connection being opened would skew the midpoint. */
  const read = async (client: pg.ClientBase): Promise<Reading> => {
    const sent = monotonic();
    const { rows } = await client.query<{ now: unknown }>(READ_CLOCK);
    const received = monotonic();
    const backendMs = rows[0]?.now;
    if (typeof backendMs !== 'number') throw new UnavailableError('postgres returned no clock reading');
    return { backendMs, localMs: (sent + received) / 2, roundTripMs: received - sent };
  };

  const readPooled = async (): Promise<Reading> => {
    const client = await pool.connect();
    try {
      const fresh = await read(client);
      client.release();
      return fresh;
    } catch (err) {
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  };

  const refresh = (reader: () => Promise<Reading>): Promise<Reading> => {
    if (reading === undefined) askedAt = monotonic();
    reading ??= reader().then(
      (fresh) => {
        reading = undefined;
        if (last === undefined || better(fresh, last)) last = fresh;
        return fresh;
      },
      (err: unknown) => {
        reading = undefined;
        throw err;
      },
    );
    return reading;
  };

  const extrapolate = (from: Reading): number => Math.floor(from.backendMs + (monotonic() - from.localMs));

  return {
    async now(via: pg.ClientBase): Promise<number> {
      if (last === undefined) return extrapolate(await refresh(() => read(via)));
      if (monotonic() - askedAt > REFRESH_MS && reading === undefined) {
        // The caller does not wait: the last reading is still good to a few ms, and a refresh
        // that fails (database down) is the next operation's failure to report.
        refresh(readPooled).catch(() => undefined);
      }
      return extrapolate(last);
    },
  };
}
