/**
 * The fsync of the write-ahead log, off the event loop, shared by every commit that waits for it.
 *
 * Why: with synchronous=FULL each COMMIT fsyncs the WAL inside the call, and better-sqlite3 calls
 * are synchronous, so the event loop stood still for every fsync: 0.1 ms on an idle disk, 1 to 6
 * ms on a busy one, per commit. The store's connection now runs synchronous=NORMAL (a COMMIT
 * writes the WAL frames to the OS and returns) and this barrier fdatasyncs the WAL file on libuv's
 * thread pool before any caller of the commit is answered, so the next batch runs meanwhile.
 *
 * How: `after(settle, fail)` is called once per committed batch. When no fsync is in flight, one
 * starts at once and covers that batch; batches committed while it runs wait for the next one,
 * which starts as soon as the first returns and covers all of them (one fsync for many commits).
 * An fsync covers every write to the file made before it started, so each batch is settled by the
 * first fsync that started after its COMMIT returned.
 *
 * Invariants:
 * - `settle` runs only after an fdatasync that started after the batch's COMMIT returned: a
 *   resolved write is on stable storage, as with synchronous=FULL.
 * - Batches are settled in commit order.
 * - A failed fsync fails its batches and every later one (`onFailure` stops the store): after an
 *   fsync error the kernel may have dropped the dirty pages, so nothing written since the last
 *   good fsync may be acknowledged.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

/** Starts an fsync of the WAL; `done` gets null on success. */
export type SyncFn = (done: (err: Error | null) => void) => void;

export interface WalBarrier {
  /** Runs `settle` once the batch just committed is durable, or `fail` if it cannot be. */
  after(settle: () => void, fail: (err: Error) => void): void;
  /** True when no batch waits for an fsync. */
  readonly idle: boolean;
}

interface Waiting {
  readonly settle: () => void;
  readonly fail: (err: Error) => void;
}

export function createWalBarrier(sync: SyncFn, onFailure: (err: Error) => void, onIdle: () => void): WalBarrier {
  let waiting: Waiting[] = [];
  let inFlight = false;
  let failed: Error | null = null;

  const start = (): void => {
    inFlight = true;
    const covered = waiting;
    waiting = [];
    sync((err) => {
      inFlight = false;
      if (err !== null) {
        failed = err;
        onFailure(err);
        const lost = [...covered, ...waiting];
        waiting = [];
        for (const batch of lost) batch.fail(err);
      } else {
        for (const batch of covered) batch.settle();
        if (waiting.length > 0) start();
      }
      if (!inFlight) onIdle();
    });
  };

  return {
    after(settle, fail) {
      if (failed !== null) {
        fail(failed);
        return;
      }
      waiting.push({ settle, fail });
      if (!inFlight) start();
    },
    get idle() {
      return !inFlight && waiting.length === 0;
    },
  };
}

export interface WalFileSync {
  readonly sync: SyncFn;
  /** Closes the file descriptor; call after the last sync returned. */
  close(): void;
}

/**
 * fdatasync of `<database>-wal`, opened on first use (SQLite creates the file with the first
 * transaction). The descriptor stays valid for the store's life: SQLite truncates the WAL in place
 * and deletes it only when the last connection closes, after `close()` here.
 */
export function walFileSync(databasePath: string): WalFileSync {
  let fd: number | null = null;
  return {
    sync(done) {
      try {
        fd ??= openSync(`${databasePath}-wal`, 'r');
      } catch (err) {
        done(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      fdatasync(fd, (err) => done(err));
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
