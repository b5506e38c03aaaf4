/**
 * Background WAL checkpoints. Why SQLite-specific: the WAL, its checkpoints and the second
 * connection in a worker thread belong to this store; the tests use real files and a real thread.
 */
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/mod.ts';
import { openDatabase, WAL_AUTOCHECKPOINT_PAGES } from '../src/open-database.ts';
import {
  CHECKPOINT_INTERVAL_MS,
  START_AFTER_COMMITS,
  WAL_AUTOCHECKPOINT_FALLBACK_PAGES,
  createWalCheckpointer,
} from '../src/wal-checkpointer.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('wal-checkpointer');

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('wal checkpointer', () => {
  it('copies committed pages into the database file from its own thread', async () => {
    const file = path('background.db');
    const db = openDatabase({ path: file });
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = statSync(file).size;
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const checkpointer = createWalCheckpointer(db, file);
    const commit = (): void => {
      insert.run('x'.repeat(200));
      checkpointer.committed();
    };
    for (let i = 0; i < START_AFTER_COMMITS; i += 1) commit();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_FALLBACK_PAGES);
    // With the writer's own automatic checkpoint off, only the worker can move pages into the file.
    db.pragma('wal_autocheckpoint = 0');
    await until(() => {
      commit();
      return statSync(file).size > sizeBefore;
    });
    await checkpointer.close();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a worker that cannot open the database hands checkpoints back to the writer', async () => {
    const db = openDatabase({ path: path('writer.db') });
    const checkpointer = createWalCheckpointer(db, path('missing/other.db'));
    for (let i = 0; i < START_AFTER_COMMITS; i += 1) checkpointer.committed();
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === WAL_AUTOCHECKPOINT_PAGES);
    checkpointer.committed();
    await checkpointer.close();
    db.close();
  });

  it('a store keeps every job across background checkpoints and a reopen', async () => {
    const file = path('store.db');
    const store = createSqliteStore({ path: file });
    await store.migrate();
    const batches = START_AFTER_COMMITS * 2;
    for (let i = 0; i < batches; i += 1) {
      await store.jobEnqueueMany({ jobs: Array.from({ length: 10 }, () => makeJob()), now: 1_000 });
      if (i === START_AFTER_COMMITS) await sleep(CHECKPOINT_INTERVAL_MS);
    }
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = createSqliteStore({ path: file });
    await reopened.migrate();
    expect(await reopened.queueStats({ queue: 'q' })).toMatchObject({ waiting: batches * 10 });
    await reopened.close();
  });
});
