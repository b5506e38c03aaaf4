/**
 * The SQL files and their query plans. Why SQLite-specific: the files, the raw row layout and the
 * partial indexes are this store's; a plan that falls back to a table scan still gives right
 * answers (so the conformance suite cannot see it) but makes a lease O(n) in the backlog.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/migrator.ts';
import {
  JOB_ROW_QUERIES,
  QUERIES_DIR,
  QUERY_FILES,
  prepareQueries,
  querySource,
  type QueryFile,
} from '../src/query-catalog.ts';
import { JOB_COLUMNS } from '../src/row-mapping.ts';

function migratedDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, loadMigrations());
  return db;
}

function plan(db: Database.Database, file: QueryFile): string {
  const sql = querySource(file);
  const params = Object.fromEntries([...sql.matchAll(/:([A-Za-z]+)/g)].map(([, name = '']) => [name, null]));
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

describe('sql files', () => {
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

  it('no LIMIT or OFFSET takes a bare parameter (SQLite re-prepares such a statement on every run)', () => {
    for (const file of QUERY_FILES) {
      const sql = querySource(file);
      expect(sql, file).not.toMatch(/\b(LIMIT|OFFSET)\s+:/i);
    }
  });

  it('a limit passed through CAST is applied as given', () => {
    const db = migratedDb();
    const statement = db.prepare(
      'SELECT value FROM json_each(:list) LIMIT CAST(:limit AS INTEGER) OFFSET CAST(:skip AS INTEGER)',
    );
    expect(statement.all({ list: '[1,2,3,4,5]', limit: 2, skip: 1 })).toEqual([{ value: 2 }, { value: 3 }]);
  });

  it('every statement prepares against the migrated schema', () => {
    expect(() => prepareQueries(migratedDb())).not.toThrow();
  });

  it('job rows are read in JOB_COLUMNS order', () => {
    const db = migratedDb();
    const tableColumns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('jobs');
    expect(tableColumns).toEqual([...JOB_COLUMNS]);
    const q = prepareQueries(db) as unknown as Record<string, Database.Statement>;
    for (const file of JOB_ROW_QUERIES) {
      const key = file.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      expect(
        q[key]?.columns().map((c) => c.name),
        file,
      ).toEqual([...JOB_COLUMNS]);
    }
  });
});

describe('query plans', () => {
  const db = migratedDb();
  const cases: [QueryFile, string][] = [
    ['job-lease-candidates', 'jobs_waiting'],
    ['job-front-run-at', 'COVERING INDEX jobs_waiting'],
    ['job-back-run-at', 'COVERING INDEX jobs_waiting'],
    ['job-list-waiting-lower-priority', 'jobs_waiting'],
    ['job-list-waiting-same-priority', 'jobs_waiting'],
    ['job-promote-due', 'jobs_delayed'],
    ['job-expire-due', 'jobs_expiry'],
    ['job-lease-expired', 'jobs_active'],
    ['job-find-dedup', 'jobs_dedup'],
    ['job-delete-completed-before', 'jobs_finished'],
    ['job-delete-completed-beyond', 'jobs_finished'],
    ['job-delete-dead-before', 'jobs_finished'],
    ['queue-redrive', 'jobs_finished'],
    ['job-get-by-id', 'sqlite_autoindex_jobs_1'],
    ['job-complete', 'INTEGER PRIMARY KEY'],
  ];
  it.each(cases)('%s reads %s and never scans the jobs table', (file, index) => {
    const detail = plan(db, file);
    expect(detail).toContain(index);
    expect(detail).not.toMatch(/SCAN jobs(?! USING)/);
  });

  it('a lease and retention read their index in order, without sorting', () => {
    for (const file of ['job-lease-candidates', 'job-delete-completed-beyond', 'queue-redrive'] as const) {
      expect(plan(db, file), file).not.toContain('TEMP B-TREE');
    }
  });
});
