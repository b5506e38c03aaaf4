/**
 * The payload column. Why SQLite-specific: this store keeps a JSON payload as TEXT and a byte
 * payload as a BLOB in `data`, and still reads JSON payloads that earlier builds stored as BLOBs.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('payload-column');

describe('payload column', () => {
  it('stores JSON payloads as their JSON text and byte payloads as bytes', async () => {
    const file = path('types.db');
    const store = createSqliteStore({ path: file });
    await store.migrate();
    await store.jobEnqueueMany({
      jobs: [
        makeJob({ id: 'json', data: { text: 'é ✓ \u{1F600}', n: [1, 2] } }),
        makeJob({ id: 'bytes', encoding: 'bytes', data: new Uint8Array([0, 255, 7]) }),
      ],
      now: 1_000,
    });
    await store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, typeof(data) AS type, CAST(data AS BLOB) AS raw FROM jobs ORDER BY seq').all();
    db.close();
    expect(rows).toEqual([
      { id: 'json', type: 'text', raw: Buffer.from(JSON.stringify({ text: 'é ✓ \u{1F600}', n: [1, 2] })) },
      { id: 'bytes', type: 'blob', raw: Buffer.from([0, 255, 7]) },
    ]);
  });

  it('reads a JSON payload an earlier build stored as a BLOB', async () => {
    const file = path('blob.db');
    const first = createSqliteStore({ path: file });
    await first.migrate();
    await first.jobEnqueueMany({ jobs: [makeJob({ id: 'old', data: { kept: 'é' } })], now: 1_000 });
    await first.close();
    const db = new Database(file);
    db.prepare("UPDATE jobs SET data = CAST(data AS BLOB) WHERE id = 'old'").run();
    expect(db.prepare("SELECT typeof(data) FROM jobs WHERE id = 'old'").pluck().get()).toBe('blob');
    db.close();
    const second = createSqliteStore({ path: file });
    await second.migrate();
    expect(await second.jobGet({ id: 'old' })).toMatchObject({ encoding: 'json', data: { kept: 'é' } });
    const [leased] = await second.jobLease({
      queues: ['q'],
      max: 1,
      now: 2_000,
      leaseMs: null,
      worker: null,
      tokens: ['t'],
    });
    expect(leased).toMatchObject({ id: 'old', data: { kept: 'é' } });
    await second.close();
  });
});
