/**
 * Closing. Why SQLite-specific: close must first let the group-commit queue drain (writes
 * accepted before close are committed, not dropped) and only then close the connection; these
 * tests reopen the file to see what reached it.
 */
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '@docket/protocol';
import { createSqliteStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('close');

describe('close', () => {
  it('writes accepted before close are committed, and later calls reject with UnavailableError', async () => {
    const file = path('drain.db');
    const store = createSqliteStore({ path: file });
    await store.migrate();
    const accepted = Array.from({ length: 20 }, (_, i) =>
      store.jobEnqueueMany({ jobs: [makeJob({ id: `before-close-${i}` })], now: 1_000 }),
    );
    await store.close();
    await Promise.all(accepted);
    await expect(store.jobEnqueueMany({ jobs: [makeJob()], now: 1_000 })).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.jobGet({ id: 'before-close-0' })).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.queueList({ limit: 10, cursor: null })).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.migrate()).rejects.toBeInstanceOf(UnavailableError);
    await store.close();

    const reopened = createSqliteStore({ path: file });
    await reopened.migrate();
    expect((await reopened.queueStats({ queue: 'q' })).waiting).toBe(20);
    await reopened.close();
  });
});
