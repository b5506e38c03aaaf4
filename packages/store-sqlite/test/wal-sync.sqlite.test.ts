/**
 * The WAL barrier: a commit's callers are answered only after an fsync that started after the
 * COMMIT returned; commits made while an fsync runs share the next one; a failed fsync fails its
 * batches and stops the batcher. The fsync is replaced by a controllable one here (fault
 * injection: an fsync that hangs until released, or fails); the real one runs under every other
 * test of the store.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '@docket/protocol';
import { createCommitBatcher } from '../src/commit-batcher.ts';
import { createSqliteStore } from '../src/mod.ts';
import { walFileSync, type SyncFn } from '../src/wal-sync.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const path = useTempDir('wal-sync');
const makeJob = jobFactory({ queue: 'q', now: 1_000 });

/** An fsync that returns only when the test says so; counts how many were started. */
function heldSync(): { sync: SyncFn; started: () => number; finish: (err?: Error) => void } {
  const pending: ((err: Error | null) => void)[] = [];
  let started = 0;
  return {
    sync: (done) => {
      started += 1;
      pending.push(done);
    },
    started: () => started,
    finish: (err) => {
      const done = pending.shift();
      if (done === undefined) throw new Error('no fsync is running');
      done(err ?? null);
    },
  };
}

function bareDb(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
  return db;
}

const insert = (db: Database.Database, id: number) => () => db.prepare('INSERT INTO t (id) VALUES (?)').run(id);
const flushed = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** Tracks whether a promise has settled, without awaiting it. */
function watch(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe('WAL barrier', () => {
  it('a committed batch is answered only once its fsync returns', async () => {
    const db = bareDb();
    const fsync = heldSync();
    const batcher = createCommitBatcher(db, { sync: fsync.sync });
    const write = batcher.run(insert(db, 1));
    const state = watch(write);
    await flushed();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    expect(fsync.started()).toBe(1);
    expect(state.settled).toBe(false);
    fsync.finish();
    await write;
    expect(state.settled).toBe(true);
  });

  it('batches committed while an fsync runs share the next one, and are answered in order', async () => {
    const db = bareDb();
    const fsync = heldSync();
    const batcher = createCommitBatcher(db, { sync: fsync.sync });
    const order: number[] = [];
    const first = batcher.run(insert(db, 1)).then(() => order.push(1));
    await flushed();
    const second = batcher.run(insert(db, 2)).then(() => order.push(2));
    await flushed();
    const third = batcher.run(insert(db, 3)).then(() => order.push(3));
    await flushed();
    expect(fsync.started()).toBe(1);
    fsync.finish();
    await first;
    expect(order).toEqual([1]);
    expect(fsync.started()).toBe(2);
    fsync.finish();
    await Promise.all([second, third]);
    expect(order).toEqual([1, 2, 3]);
    expect(fsync.started()).toBe(2);
  });

  it('drain waits for the fsync of the last batch', async () => {
    const db = bareDb();
    const fsync = heldSync();
    const batcher = createCommitBatcher(db, { sync: fsync.sync });
    void batcher.run(insert(db, 1));
    await flushed();
    const drained = watch(batcher.drain());
    await flushed();
    expect(drained.settled).toBe(false);
    fsync.finish();
    await batcher.drain();
    await flushed();
    expect(drained.settled).toBe(true);
  });

  it('a failed fsync fails its batches and every later call, and nothing more is acknowledged', async () => {
    const db = bareDb();
    const fsync = heldSync();
    const batcher = createCommitBatcher(db, { sync: fsync.sync });
    const first = batcher.run(insert(db, 1));
    await flushed();
    const second = batcher.run(insert(db, 2));
    await flushed();
    fsync.finish(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(first).rejects.toBeInstanceOf(UnavailableError);
    await expect(second).rejects.toBeInstanceOf(UnavailableError);
    expect(batcher.failure).toBeInstanceOf(UnavailableError);
    expect((batcher.failure as Error).cause).toMatchObject({ code: 'EIO' });
    await expect(batcher.run(insert(db, 3))).rejects.toBeInstanceOf(UnavailableError);
    expect(fsync.started()).toBe(1);
  });

  it('the real WAL sync fsyncs the file SQLite writes, and a store answers through it', async () => {
    const file = path('real.db');
    const store = createSqliteStore({ path: file });
    await store.migrate();
    const [result] = await store.jobEnqueueMany({ jobs: [makeJob()], now: 1_000 });
    expect(result?.created).toBe(true);
    const sync = walFileSync(file);
    const error = await new Promise<Error | null>((resolve) => sync.sync(resolve));
    sync.close();
    expect(error).toBeNull();
    await store.close();
  });

  it('a WAL file that cannot be opened fails the sync instead of answering', async () => {
    const sync = walFileSync(path('missing.db'));
    const error = await new Promise<Error | null>((resolve) => sync.sync(resolve));
    expect(error).toMatchObject({ code: 'ENOENT' });
    sync.close();
  });
});
