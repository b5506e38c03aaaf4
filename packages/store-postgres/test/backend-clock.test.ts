/**
 * The backend clock's reading schedule, on a fake clock: the database's answers and the local
 * monotonic clock are both set by the test, so refreshes and extrapolation can be checked exactly.
 * backend-clock.postgres.test.ts checks the same module against the real server's clock.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createBackendClock, MAX_READING_AGE_MS, REFRESH_MS } from '../src/backend-clock.ts';

/** A database whose clock reads `backend` (or fails with `failure`), answering `roundTripMs` later. */
class FakeDatabase {
  backend = 1_000_000;
  failure: Error | null = null;
  local = 0;
  roundTripMs = 2;
  queries = 0;
  private readonly pending: (() => void)[] = [];

  query = (): Promise<{ rows: { now: number }[] }> => {
    this.queries += 1;
    return new Promise((resolve, reject) => {
      this.pending.push(() => {
        this.local += this.roundTripMs;
        this.backend += this.roundTripMs;
        if (this.failure === null) resolve({ rows: [{ now: this.backend - this.roundTripMs / 2 }] });
        else reject(this.failure);
      });
    });
  };

  released = 0;

  connect = (): Promise<this> => Promise.resolve(this);

  release = (): void => {
    this.released += 1;
  };

  /** Answers every query sent so far. */
  answer(): void {
    for (const reply of this.pending.splice(0)) reply();
  }

  /** Both clocks move on by `ms`. */
  advance(ms: number): void {
    this.local += ms;
    this.backend += ms;
  }

  get asPool(): pg.Pool {
    return this as unknown as pg.Pool;
  }

  get asClient(): pg.ClientBase {
    return this as unknown as pg.ClientBase;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function clockOver(db: FakeDatabase): ReturnType<typeof createBackendClock> {
  return createBackendClock(db.asPool, () => db.local);
}

/** A clock that has taken its first reading (over the caller's connection). */
async function afterFirstReading(db: FakeDatabase): Promise<ReturnType<typeof createBackendClock>> {
  const clock = clockOver(db);
  const first = clock.now(db.asClient);
  await settle();
  db.answer();
  await first;
  return clock;
}

describe('backend clock', () => {
  it('reads the database once for concurrent first calls, then extrapolates without a query', async () => {
    const db = new FakeDatabase();
    const clock = clockOver(db);
    const first = [clock.now(db.asClient), clock.now(db.asClient), clock.now(db.asClient)];
    await settle();
    expect(db.queries).toBe(1);
    db.answer();
    const readings = await Promise.all(first);
    expect(readings).toEqual([db.backend, db.backend, db.backend]);

    db.advance(250);
    expect(await clock.now(db.asClient)).toBe(db.backend);
    expect(db.queries).toBe(1);
  });

  it('follows a step of the database clock one refresh later, without making the caller wait', async () => {
    const db = new FakeDatabase();
    const clock = await afterFirstReading(db);

    db.advance(REFRESH_MS + 1);
    db.backend += 60_000;
    // The stale reading still answers at once (the step is not known yet) and one refresh starts.
    expect(await clock.now(db.asClient)).toBe(db.backend - 60_000);
    expect(await clock.now(db.asClient)).toBe(db.backend - 60_000);
    await settle();
    expect(db.queries).toBe(2);
    db.answer();
    await settle();
    expect(await clock.now(db.asClient)).toBe(db.backend);
    expect(db.released).toBe(1);
  });

  it('keeps a reading over a newer one that took much longer to come back, until it is MAX_READING_AGE_MS old', async () => {
    const db = new FakeDatabase();
    const clock = await afterFirstReading(db);

    // A slow round trip: its midpoint could be off by up to half of it, so it is not taken.
    db.roundTripMs = 40;
    db.advance(REFRESH_MS + 1);
    await clock.now(db.asClient);
    await settle();
    expect(db.queries).toBe(2);
    db.backend += 7;
    db.answer();
    await settle();
    expect(await clock.now(db.asClient)).toBe(db.backend - 7);

    // Once the kept reading is old enough, the next one is taken whatever its round trip.
    db.advance(MAX_READING_AGE_MS);
    await clock.now(db.asClient);
    await settle();
    expect(db.queries).toBe(3);
    db.answer();
    await settle();
    expect(await clock.now(db.asClient)).toBe(db.backend);
  });

  it('keeps extrapolating the last reading when a refresh fails', async () => {
    const db = new FakeDatabase();
    const clock = await afterFirstReading(db);

    db.advance(REFRESH_MS + 1);
    db.failure = new Error('connection refused');
    expect(await clock.now(db.asClient)).toBe(db.backend);
    await settle();
    expect(db.queries).toBe(2);
    db.answer();
    await settle();
    db.advance(10);
    expect(await clock.now(db.asClient)).toBe(db.backend);
    expect(db.released).toBe(1);
    // The next attempt comes REFRESH_MS after the failed one was asked for, not at once.
    await settle();
    expect(db.queries).toBe(2);
    db.advance(REFRESH_MS);
    await clock.now(db.asClient);
    await settle();
    expect(db.queries).toBe(3);
  });

  it('rejects with the first reading error, and reads again on the next call', async () => {
    const db = new FakeDatabase();
    const clock = clockOver(db);
    db.failure = new Error('connection refused');
    const first = clock.now(db.asClient);
    await settle();
    db.answer();
    await expect(first).rejects.toThrow('connection refused');

    db.failure = null;
    const second = clock.now(db.asClient);
    await settle();
    expect(db.queries).toBe(2);
    db.answer();
    expect(await second).toBe(db.backend);
  });
});
