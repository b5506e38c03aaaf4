/**
 * Planner statistics. Why SQLite-specific: the plans of this store's statements are SQLite's, and
 * statistics taken at one moment of a queue (a backlog, no job active) mislead the planner later;
 * the store writes none and empties what an ANALYZE left (planner-statistics.ts).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { jobFactory } from '@docket/store-testkit';
import { createSqliteStore } from '../src/mod.ts';
import { loadQuerySources, querySource } from '../src/query-catalog.ts';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });
const path = useTempDir('planner-statistics');

function statRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'sqlite\\_stat%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    return tables.reduce(
      (sum, table) => sum + (db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number),
      0,
    );
  } finally {
    db.close();
  }
}

function batchAckPlan(file: string): string {
  loadQuerySources();
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${querySource('job-complete-many')}`).all({ acks: '[]', now: 0 });
    return (rows as { detail: string }[]).map((row) => row.detail).join(' | ');
  } finally {
    db.close();
  }
}

async function storeWithBacklog(file: string, jobs: number): Promise<void> {
  const store = createSqliteStore({ path: file });
  await store.migrate();
  await store.jobEnqueueMany({ jobs: Array.from({ length: jobs }, () => makeJob()), now: 1_000 });
  await store.close();
}

describe('planner statistics', () => {
  it('a store writes none: closing after a backlog leaves the statistics tables absent or empty', async () => {
    const file = path('closed.db');
    await storeWithBacklog(file, 2_000);
    expect(statRows(file)).toBe(0);
  });

  it('statistics an ANALYZE took with no job active are emptied when the store opens, and the batch ack looks jobs up by seq again', async () => {
    const file = path('analyzed.db');
    await storeWithBacklog(file, 2_000);
    const analyze = new Database(file);
    analyze.exec('ANALYZE');
    analyze.close();
    expect(statRows(file)).toBeGreaterThan(0);
    expect(batchAckPlan(file)).toContain('SCAN jobs USING INDEX jobs_active');

    const store = createSqliteStore({ path: file });
    await store.migrate();
    await store.close();
    expect(statRows(file)).toBe(0);
    expect(batchAckPlan(file)).toBe(
      'SCAN json_each VIRTUAL TABLE INDEX 1: | SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)',
    );
  });
});
