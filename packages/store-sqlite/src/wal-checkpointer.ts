/**
 * WAL checkpoints off the event loop.
 *
 * Why: a checkpoint copies the WAL's pages into the database file and fsyncs it, tens of
 * milliseconds for a thousand pages. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses its threshold, on the event loop, so that commit, and every batch queued behind it,
 * waited for it. Here a second connection in a worker thread (wal-checkpoint-worker.js) runs
 * PASSIVE checkpoints, which never take the write lock, while the writer goes on committing.
 *
 * When: after a commit, if no checkpoint is in flight and CHECKPOINT_INTERVAL_MS passed since the
 * last one was asked for. The worker starts only once the store has committed START_AFTER_COMMITS
 * batches: a store that writes little never pays for a thread.
 *
 * Invariants:
 * - Durability does not depend on this module: a commit is durable once its COMMIT fsynced the
 *   WAL; a checkpoint only copies committed pages (and fsyncs the database file before SQLite
 *   reuses the WAL).
 * - The WAL stays bounded: the writer keeps SQLite's automatic checkpoint at
 *   WAL_AUTOCHECKPOINT_FALLBACK_PAGES, so if the worker falls behind the writer copies what is
 *   left itself (little, since the worker copied the rest). If the worker fails, the writer goes
 *   back to WAL_AUTOCHECKPOINT_PAGES and checkpoints as if this module did not exist.
 * - `close()` stops the worker and its connection before the writer closes, so the writer's close
 *   is the last connection's and checkpoints and removes the WAL as usual.
 */
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES } from './open-database.ts';

/**
 * About a thousand pages between checkpoints at a few hundred commits per second (the store
 * benchmark's rate), close to SQLite's default threshold; at lower rates a checkpoint copies less.
 */
export const CHECKPOINT_INTERVAL_MS = 100;

/** Commits before the worker starts. */
export const START_AFTER_COMMITS = 64;

/** The writer's own automatic checkpoint while the worker runs: 32 MiB of WAL with 8 KiB pages. */
export const WAL_AUTOCHECKPOINT_FALLBACK_PAGES = 4_000;

const WORKER_FILE = new URL('./wal-checkpoint-worker.js', import.meta.url);

/** `done` after each checkpoint; `failed` (then the worker exits) when one threw. */
type WorkerMessage = 'done' | 'failed';

export interface WalCheckpointer {
  /** Called after every commit of the writer. */
  committed(): void;
  /** Stops the worker (waiting for a checkpoint in flight); the writer checkpoints from then on. */
  close(): Promise<void>;
}

export function createWalCheckpointer(db: Database, path: string): WalCheckpointer {
  let commits = 0;
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let inFlight = false;
  let lastAskedAt = -Infinity;
  let stopped = false;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  };

  const start = (): void => {
    let started: Worker;
    try {
      started = new Worker(WORKER_FILE, { workerData: { path, busyTimeoutMs: BUSY_TIMEOUT_MS }, execArgv: [] });
    } catch {
      // No thread to be had (resource limits): the writer keeps checkpointing as SQLite does.
      stopped = true;
      return;
    }
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    started.on('message', (message: WorkerMessage) => {
      inFlight = false;
      if (message === 'failed') stop();
    });
    started.on('error', stop);
    started.once('exit', stop);
    started.unref();
    worker = started;
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_FALLBACK_PAGES}`);
  };

  return {
    committed(): void {
      if (stopped) return;
      commits += 1;
      if (worker === null) {
        if (commits >= START_AFTER_COMMITS) start();
        return;
      }
      const now = performance.now();
      if (inFlight || now - lastAskedAt < CHECKPOINT_INTERVAL_MS) return;
      inFlight = true;
      lastAskedAt = now;
      worker.postMessage('checkpoint');
    },
    async close(): Promise<void> {
      const running = worker;
      stopped = true;
      if (running === null) return;
      running.ref();
      running.postMessage('close');
      await exited;
    },
  };
}
