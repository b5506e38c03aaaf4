/**
 * The SQL files and their query plans. Why PostgreSQL-specific: the files and the partial indexes
 * are this store's; a plan that falls back to a sequential scan still gives right answers (so the
 * conformance suite cannot see it) but makes a lease cost grow with the backlog.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '@docket/core';
import { compileQuery, QUERIES_DIR, QUERY_FILES, boundQuery, type QueryFile } from '../src/query-catalog.ts';
import { adminPool, describePostgres, freshSchema, openStore } from './support/postgres.ts';

describePostgres('sql files', () => {
  it('queries/ holds exactly the catalogued statements, each with an inputs and outputs header', () => {
    const files = readdirSync(QUERIES_DIR)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.slice(0, -'.sql'.length))
      .sort();
    expect(files).toEqual([...QUERY_FILES].sort());
    for (const file of QUERY_FILES) {
      const header = readFileSync(new URL(`${file}.sql`, QUERIES_DIR), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('--'));
      expect(header[0], file).toMatch(new RegExp(`^-- ${file}: `));
      expect(
        header.some((l) => l.startsWith('-- inputs:')),
        file,
      ).toBe(true);
      expect(
        header.some((l) => l.startsWith('-- outputs:')),
        file,
      ).toBe(true);
    }
  });

  it('named parameters compile to positions, leaving casts and comments alone', () => {
    const compiled = compileQuery('x', '-- x: :ignored\nSELECT :a::bigint, :b, :a FROM t WHERE c = :b');
    expect(compiled).toEqual({
      name: 'docket_x',
      text: 'SELECT $1::bigint, $2, $1 FROM t WHERE c = $2',
      params: ['a', 'b'],
    });
    expect(() => boundQuery('job-get-by-id', {})).toThrow(/needs parameter :id/);
  });
});

/** Representative values by parameter name (a NULL would let the planner fold the statement away). */
const SAMPLE: Readonly<Record<string, unknown>> = {
  queue: 'q',
  queues: ['q', 'r'],
  caps: [2, 2],
  id: 'job-1',
  ids: ['job-1'],
  token: 'token-1',
  tokens: ['token-1'],
  placement: 'front',
  error: null,
  dedupKey: 'key',
  state: 'dead',
  reason: 'expired',
  result: null,
  leaseMs: null,
  worker: 'w',
};

const NACK_ERROR = JSON.stringify({ message: 'boom', at: 1, attempt: 1 });

/** A batch nack of one job to the back of its queue, by the reaper. */
const BATCH_NACK: Readonly<Record<string, unknown>> = {
  states: ['waiting'],
  placements: ['back'],
  runAts: [null],
  deadReasons: [null],
  errors: [null],
  placementNacks: [false],
  failures: [true],
  leaseExpiredOnly: [true],
  givenBack: [false],
};

/** The plan of one statement, sequential scans disabled so that an index able to serve it shows. */
async function plan(schema: string, file: QueryFile, values: Readonly<Record<string, unknown>> = {}): Promise<string> {
  const sample = { ...SAMPLE, ...values };
  const query = boundQuery(file, new Proxy({}, { has: () => true, get: (_, name: string) => sample[name] ?? 1 }));
  const client = await adminPool().connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL search_path = "${schema}"`);
    await client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.values);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describePostgres('query plans', () => {
  const schema = freshSchema();
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ schema });
  });
  afterAll(() => store.close());

  const cases: [QueryFile, string, Readonly<Record<string, unknown>>?][] = [
    ['job-lease', 'jobs_waiting'],
    // A nack finds its job by id and its front/back ready time on the waiting index (its error is
    // an object's JSON text: the attempt history takes the object apart).
    ['job-nack', 'jobs_waiting', { state: 'waiting', error: NACK_ERROR }],
    ['job-nack', 'jobs_id_key|jobs_active', { error: NACK_ERROR }],
    // The batch nack likewise, for a batch of one or of many items.
    ['job-nack-many', 'jobs_waiting', BATCH_NACK],
    ['job-nack-many', 'jobs_id_key|jobs_active', BATCH_NACK],
    ['job-list-waiting-lower-priority', 'jobs_waiting'],
    ['job-list-waiting-same-priority', 'jobs_waiting'],
    ['job-promote-due', 'jobs_delayed_due'],
    ['job-list-delayed', 'jobs_delayed_queue'],
    ['job-expire-due', 'jobs_expiry'],
    ['job-lease-expired', 'jobs_active'],
    ['job-find-dedup', 'jobs_dedup'],
    ['job-delete-completed-before', 'jobs_finished'],
    ['job-delete-completed-beyond', 'jobs_finished'],
    ['job-delete-dead-before', 'jobs_finished'],
    ['queue-redrive', 'jobs_finished'],
    ['job-get-by-id', 'jobs_id_key'],
    // Either index bounds it: one id, or the (small) active set; the planner picks by statistics.
    ['job-complete', 'jobs_id_key|jobs_active'],
  ];
  it.each(cases)('%s reads %s and never scans the jobs table', async (file, index, values) => {
    const detail = await plan(schema, file, values);
    expect(detail).toMatch(new RegExp(`Index (Only )?Scan (Backward )?using (${index}) on jobs`));
    expect(detail).not.toMatch(/Seq Scan on jobs/);
  });

  it('a lease reads each queue in index order with row locks, without sorting the backlog', async () => {
    const detail = await plan(schema, 'job-lease');
    // The one sort merges the per-queue heads (at most max rows per queue); under the LockRows of
    // each queue's seek there is only the ordered index scan.
    const perQueue = detail.slice(detail.indexOf('LockRows')).split('\n').slice(0, 4).join('\n');
    expect(perQueue).toMatch(/Index Scan using jobs_waiting/);
    expect(perQueue).not.toMatch(/Sort/);
  });
});
