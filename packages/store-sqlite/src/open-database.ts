/**
 * Opens the SQLite file and applies the connection settings the store's guarantees rest on.
 * WAL with synchronous=FULL makes every COMMIT fsync the log before it returns, so "resolved"
 * means durable even on power loss (NORMAL would only survive a process crash).
 */
import Database from 'better-sqlite3';
import { UnavailableError } from '@docket/protocol';

/**
 * 8 MiB of page cache (negative values are KiB). The hot pages of a busy store are few (the head
 * of the waiting index, the tail of the table, the lease and finish index tails), and the OS page
 * cache sits behind SQLite's, so a larger cache buys no speed, only memory: with 64 MiB a server
 * holding 1 000 000 waiting jobs had 253 MB resident, with 8 MiB 189 MB (the product's budget is
 * 200 MB). `npm run bench:store`, two runs each, 64 MiB against 8 MiB: enqueue 16 in flight
 * 156 k / 150 k against 184 k / 175 k jobs/s; lease+ack at 1 000 000 waiting 51 k / 48 k against
 * 54 k / 55 k jobs/s.
 */
export const CACHE_SIZE_KIB = 8 * 1024;

/**
 * 8 KiB pages for a database this store creates (SQLite's default is 4 KiB; an existing file
 * keeps the page size it was created with). A lease or an ack rewrites a run of neighbouring job
 * rows, and a commit appends each dirty page to the WAL as a frame of its own: with pages twice
 * as large, the same rows take half the frames. Measured with `npm run bench:store`, two runs
 * each, 4 KiB against 8 KiB: enqueue (16 calls in flight) 112 k / 136 k against 158 k / 163 k
 * jobs/s; lease+ack with 1 000 waiting 45 k / 47 k against 47 k / 51 k jobs/s.
 */
export const PAGE_SIZE_BYTES = 8192;

/**
 * Wait up to 5 s for a lock another connection holds (an admin tool, a migration in another
 * process) instead of failing at once; longer would hold requests past their HTTP timeouts.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Checkpoint the WAL into the database after 1 000 pages (SQLite's default, set here so the
 * choice is visible): 8 MiB with this store's pages, 4 MiB in a file created with 4 KiB pages.
 * Such a checkpoint runs inside the commit that triggers it and blocks the event loop while it
 * copies and fsyncs; with 4 096 pages enqueue throughput did not improve and the longest commit
 * doubled (about 80 ms instead of 35 ms). A busy store checkpoints from a
 * worker thread instead (wal-checkpointer.ts), which raises this threshold to a fallback.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 1_000;

/**
 * Truncate the WAL back to 64 MiB after a checkpoint; without a limit the file keeps the size of
 * its largest burst forever.
 */
export const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface OpenDatabaseOptions {
  /** A file path, or ':memory:' for tests where durability is not the subject. */
  readonly path: string;
}

export function openDatabase({ path }: OpenDatabaseOptions): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new UnavailableError(`cannot open sqlite database at ${path}`, { path }, { cause: err });
  }
  try {
    db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  } catch (err) {
    db.close();
    throw new UnavailableError(`cannot configure sqlite database at ${path}`, { path }, { cause: err });
  }
  return db;
}
