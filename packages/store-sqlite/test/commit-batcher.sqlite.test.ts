/**
 * Group commit. Why SQLite-specific: the port only promises "resolved means durable"; how this
 * store gets there (one fsynced transaction per batch, one savepoint per operation) is its own
 * machinery, and these tests look inside it: commit counts, visibility from a second connection,
 * and what a failed operation or a failed COMMIT does to the rest of its batch.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { JobExpiredError, StorageFullError, UnavailableError } from '@docket/protocol';
import { CommitThenReject, createCommitBatcher, type CommitInfo } from '../src/commit-batcher.ts';
import { createSqliteStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('batcher');

async function openStore(file: string) {
  const commits: CommitInfo[] = [];
  const store = createSqliteStore({ path: path(file), onCommit: (info) => commits.push(info) });
  await store.migrate();
  commits.length = 0;
  return { store, commits };
}

describe('group commit', () => {
  it('concurrent writes share one commit and each resolves only when another connection sees it', async () => {
    const { store, commits } = await openStore('share.db');
    const reader = new Database(path('share.db'), { readonly: true });
    const seen = reader.prepare('SELECT count(*) AS n FROM jobs WHERE id = ?').pluck();
    const unseen: string[] = [];
    const writes = Array.from({ length: 200 }, (_, i) => {
      const job = makeJob({ id: `share-${i}` });
      return store.jobEnqueueMany({ jobs: [job], now: 1_000 }).then(() => {
        if (seen.get(job.id) !== 1) unseen.push(job.id);
      });
    });
    await Promise.all(writes);
    reader.close();
    await store.close();
    expect(unseen).toEqual([]);
    expect(commits).toHaveLength(1);
    // The 200 enqueue calls arrived together, so they ran as one merged op (enqueue-merger.ts).
    expect(commits[0]?.ops).toBe(1);
  });

  it('an operation submitted while a batch commits goes into the next batch', async () => {
    const commits: CommitInfo[] = [];
    let late: Promise<unknown> | undefined;
    const store = createSqliteStore({
      path: path('late.db'),
      onCommit: (info) => {
        commits.push(info);
        late ??= store.jobEnqueueMany({ jobs: [makeJob({ id: 'late' })], now: 1_000 });
      },
    });
    await store.migrate();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.jobEnqueueMany({ jobs: [makeJob({ id: `early-${i}` })], now: 1_000 })),
    );
    await late;
    expect(commits.map((c) => c.ops)).toEqual([1, 1]);
    expect(await store.jobGet({ id: 'late' })).not.toBeNull();
    await store.close();
  });

  it('a rejected operation is rolled back alone and the rest of its batch commits', async () => {
    const { store, commits } = await openStore('partial.db');
    const bad = makeJob({ id: 'bad', encoding: 'bytes', data: 'not bytes' });
    const outcomes = await Promise.allSettled([
      store.jobEnqueueMany({ jobs: [makeJob({ id: 'a' })], now: 1_000 }),
      store.jobAck({ id: 'a', token: 'no-such-lease', now: 1_000, result: null }),
      store.jobEnqueueMany({ jobs: [makeJob({ id: 'b' }), bad], now: 1_000 }),
      store.jobEnqueueMany({ jobs: [makeJob({ id: 'c' })], now: 1_000 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(commits.map((c) => c.ops)).toEqual([3]);
    const present = await Promise.all(['a', 'b', 'c'].map(async (id) => (await store.jobGet({ id })) !== null));
    expect(present).toEqual([true, false, true]);
    await store.close();
  });
});

describe('commit batcher on a bare connection', () => {
  function bareDb(): Database.Database {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY,
        parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    return db;
  }

  it('a COMMIT that fails rejects every operation of the batch with UnavailableError and keeps nothing', async () => {
    const db = bareDb();
    const batcher = createCommitBatcher(db);
    const fine = batcher.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run());
    const orphan = batcher.run(() => db.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run());
    const results = await Promise.allSettled([fine, orphan]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(UnavailableError);
        expect((result.reason as Error).cause).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      }
    }
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) FROM parent').pluck().get()).toBe(0);
    await batcher.run(() => db.prepare('INSERT INTO parent (id) VALUES (2)').run());
    expect(db.prepare('SELECT id FROM parent').pluck().all()).toEqual([2]);
    expect(batcher.failure).toBeNull();
  });

  it('a full disk rejects with StorageFullError and writes work again once there is room', async () => {
    const db = bareDb();
    db.exec('CREATE TABLE blobs (b BLOB)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const batcher = createCommitBatcher(db);
    const big = batcher.run(() => db.prepare('INSERT INTO blobs (b) VALUES (zeroblob(1000000))').run());
    await expect(big).rejects.toBeInstanceOf(StorageFullError);
    db.pragma('max_page_count = 1000000');
    await batcher.run(() => db.prepare('INSERT INTO blobs (b) VALUES (zeroblob(1000000))').run());
    expect(db.prepare('SELECT count(*) FROM blobs').pluck().get()).toBe(1);
  });

  it('CommitThenReject keeps the changes of its operation and rejects its caller', async () => {
    const db = bareDb();
    const batcher = createCommitBatcher(db);
    const refused = batcher.run(() => {
      db.prepare('INSERT INTO parent (id) VALUES (7)').run();
      throw new CommitThenReject(new JobExpiredError('j7'));
    });
    await expect(refused).rejects.toBeInstanceOf(JobExpiredError);
    expect(db.prepare('SELECT id FROM parent').pluck().all()).toEqual([7]);
  });

  it('a single-write operation that refuses fails alone; one that fails unexpectedly fails its batch', async () => {
    const db = bareDb();
    const batcher = createCommitBatcher(db);
    const kept = batcher.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run());
    const refused = batcher.run(() => {
      throw new JobExpiredError('j1');
    }, 'single-write');
    await expect(refused).rejects.toBeInstanceOf(JobExpiredError);
    await kept;
    const neighbour = batcher.run(() => db.prepare('INSERT INTO parent (id) VALUES (2)').run());
    const broken = batcher.run(() => {
      db.prepare('INSERT INTO parent (id) VALUES (3)').run();
      throw new TypeError('bug after a write');
    }, 'single-write');
    const outcomes = await Promise.allSettled([neighbour, broken]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(db.prepare('SELECT id FROM parent').pluck().all()).toEqual([1]);
  });

  it('beforeCommit writes per-batch state inside the transaction and a rollback drops it', async () => {
    const db = bareDb();
    const pending: number[] = [];
    const batcher = createCommitBatcher(db, {
      beforeCommit: () => {
        for (const id of pending) db.prepare('INSERT INTO parent (id) VALUES (?)').run(id);
        pending.length = 0;
      },
      afterRollback: () => (pending.length = 0),
    });
    await batcher.run(() => pending.push(10));
    const failing = batcher.run(() => {
      pending.push(11);
      db.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run();
    });
    await expect(failing).rejects.toBeInstanceOf(UnavailableError);
    await batcher.run(() => pending.push(12));
    expect(db.prepare('SELECT id FROM parent').pluck().all()).toEqual([10, 12]);
  });

  it('drain waits for queued operations and resolves at once when nothing is queued', async () => {
    const db = bareDb();
    const batcher = createCommitBatcher(db);
    await batcher.drain();
    const write = batcher.run(() => db.prepare('INSERT INTO parent (id) VALUES (3)').run());
    await batcher.drain();
    expect(db.prepare('SELECT count(*) FROM parent').pluck().get()).toBe(1);
    await write;
  });
});
