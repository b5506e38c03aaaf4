/**
 * Runs each store operation on one pooled connection: in a transaction, or as autocommit
 * statements for operations whose every write is a single guarded statement. A call resolves
 * only after COMMIT (or the autocommit statement) returned, which with synchronous_commit=on
 * means the change is durable.
 *
 * Time: with a backend clock (backend-clock.ts), an operation that asks for the clock gets the
 * database's `now` as `dbNow` once it holds its connection, without a round trip of its own, so
 * the store can rebase the caller's times (rebase.ts); without one (`caller` time) `dbNow` is null.
 *
 * Failures: a deadlock or serialization failure rolls the transaction back and runs it again (at
 * most MAX_ATTEMPTS times); a connection that failed is destroyed, not returned to the pool;
 * everything is rethrown as a protocol error (pg-errors.ts); a transaction whose body throws is
 * rolled back.
 *
 * States: open → closing → closed. `close()` refuses new calls, waits for the calls in flight,
 * then ends the pool; from then on every call rejects with UnavailableError.
 */
import type pg from 'pg';
import { UnavailableError } from '@docket/protocol';
import { isConnectionError, isRetryable, toStoreError } from './pg-errors.ts';
import type { BackendClock } from './backend-clock.ts';
import { createSession, type Session } from './session.ts';

/** `transaction`: BEGIN … COMMIT around the body. `statement`: each statement commits alone. */
export type OpMode = 'transaction' | 'statement';

/** A deadlock between two enqueues of the same ids is resolved by running the loser again. */
const MAX_ATTEMPTS = 3;

export type Body<T> = (session: Session, dbNow: number | null) => Promise<T>;

export interface Executor {
  /**
   * Runs one operation. With `clock` and a backend clock, `dbNow` is the database's clock;
   * otherwise it is null.
   */
  run<T>(doing: string, mode: OpMode, clock: boolean, body: Body<T>): Promise<T>;
  /** Lends one pooled connection to `use` (migrations); errors are mapped, a broken connection is destroyed. */
  withClient<T>(doing: string, use: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Refuses new calls, waits for the calls in flight, then ends the pool. */
  close(): Promise<void>;
  readonly closed: boolean;
}

export function createExecutor(pool: pg.Pool, backendClock: BackendClock | null): Executor {
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  const attempt = async <T>(client: pg.PoolClient, mode: OpMode, clock: boolean, body: Body<T>): Promise<T> => {
    const dbNow = clock && backendClock !== null ? await backendClock.now(client) : null;
    if (mode === 'transaction') await client.query('BEGIN');
    let value: T;
    try {
      value = await body(createSession(client), dbNow);
    } catch (err) {
      if (mode === 'transaction' && !isConnectionError(err)) await client.query('ROLLBACK');
      throw err;
    }
    if (mode === 'transaction') await client.query('COMMIT');
    return value;
  };

  const lend = async <T>(doing: string, use: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw toStoreError(err, doing);
    }
    let broken: Error | undefined;
    try {
      return await use(client);
    } catch (err) {
      if (isConnectionError(err)) broken = err instanceof Error ? err : new Error(String(err));
      throw toStoreError(err, doing);
    } finally {
      client.release(broken);
    }
  };

  const track = <T>(call: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new UnavailableError('postgres store is closed'));
    const promise = call();
    inFlight.add(promise);
    const forget = (): void => {
      inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  };

  return {
    run<T>(doing: string, mode: OpMode, clock: boolean, body: Body<T>): Promise<T> {
      return track(() =>
        lend(doing, async (client) => {
          for (let n = 1; ; n += 1) {
            try {
              return await attempt(client, mode, clock, body);
            } catch (err) {
              if (!isRetryable(err) || n >= MAX_ATTEMPTS) throw err;
            }
          }
        }),
      );
    },
    withClient<T>(doing: string, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
      return track(() => lend(doing, use));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inFlight]);
      await pool.end();
    },
    get closed() {
      return closed;
    },
  };
}
