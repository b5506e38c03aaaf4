/**
 * The SQL of the store: one statement per file in `queries/`, each with a header listing its
 * inputs and outputs. The text is read once per process; each store connection prepares every
 * statement once (after its schema exists) and reuses the prepared statements for its lifetime.
 *
 * A LIMIT or OFFSET takes its parameter through `CAST(:limit AS INTEGER)`, never bare: SQLite
 * (3.53, as bundled by better-sqlite3) reads a bare bound LIMIT while planning, so every new
 * binding expires the statement and the next run compiles it again. For the lease's candidate
 * read that was 24 µs a run against 4 µs with the CAST (a test keeps the rule).
 */
import { readFileSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import { UnavailableError } from '@docket/protocol';

export const QUERIES_DIR = new URL('./queries/', import.meta.url);

/** Every file of `queries/` (without `.sql`); a test checks the folder holds exactly these. */
export const QUERY_FILES = [
  'job-back-run-at',
  'job-complete',
  'job-complete-many',
  'job-count-active',
  'job-count-backlog',
  'job-delete',
  'job-delete-completed-before',
  'job-delete-completed-beyond',
  'job-delete-dead-before',
  'job-expire-due',
  'job-extend',
  'job-find-dedup',
  'job-find-dedup-many',
  'job-front-run-at',
  'job-get-attempts',
  'job-get-by-id',
  'job-give-back',
  'job-group-adopt',
  'job-group-heads',
  'job-group-heads-one',
  'job-group-ring',
  'job-group-served',
  'job-group-top-turn',
  'job-group-window-set',
  'job-groups-delete',
  'job-insert',
  'job-kill',
  'job-lease-candidates',
  'job-lease-claim-many',
  'job-lease-expired',
  'job-list-active',
  'job-list-all',
  'job-list-delayed',
  'job-list-finished',
  'job-list-waiting-lower-priority',
  'job-list-waiting-same-priority',
  'job-promote',
  'job-promote-due',
  'job-retry',
  'queue-add-totals',
  'queue-backlog-bytes',
  'queue-backlog-bytes-track',
  'queue-configure',
  'queue-count-failures',
  'queue-counts',
  'queue-delete',
  'queue-ensure',
  'queue-get',
  'queue-groups',
  'queue-list',
  'queue-purge',
  'queue-redrive',
  'queue-reset-totals',
  'queue-set-paused',
  'queue-window-delete',
  'queue-window-get',
  'queue-window-set',
  'schedule-advance',
  'schedule-advance-many',
  'schedule-delete',
  'schedule-due',
  'schedule-get',
  'schedule-list',
  'schedule-next',
  'schedule-put',
  'schedule-touch',
  'token-delete',
  'token-get',
  'token-insert',
  'token-list',
  'token-touch',
  'worker-active-counts',
  'worker-add-counts',
  'worker-get',
  'worker-list',
  'worker-upsert',
] as const;

export type QueryFile = (typeof QUERY_FILES)[number];

/** Statements that return whole job rows: prepared in raw mode (arrays in JOB_COLUMNS order). */
export const JOB_ROW_QUERIES: ReadonlySet<QueryFile> = new Set([
  'job-expire-due',
  'job-find-dedup',
  'job-find-dedup-many',
  'job-get-by-id',
  'job-group-heads',
  'job-group-heads-one',
  'job-lease-candidates',
  'job-lease-expired',
  'job-list-active',
  'job-list-all',
  'job-list-delayed',
  'job-list-finished',
  'job-list-waiting-lower-priority',
  'job-list-waiting-same-priority',
  'job-promote',
  'job-promote-due',
  'job-retry',
]);
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** Prepared statements by camel-cased file name: `job-insert.sql` is `q.jobInsert`. */
export type Queries = { readonly [F in QueryFile as CamelCase<F>]: Statement };

let sources: ReadonlyMap<QueryFile, string> | null = null;

function loadSources(): ReadonlyMap<QueryFile, string> {
  sources ??= new Map(QUERY_FILES.map((file) => [file, readFileSync(new URL(`${file}.sql`, QUERIES_DIR), 'utf8')]));
  return sources;
}

function camelCase(file: string): string {
  return file.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Reads the SQL files (once per process); call at start-up so a missing file fails early. */
export function loadQuerySources(): void {
  loadSources();
}

/** The text of one statement, for callers that derive variants of it (job-insert.ts). */
export function querySource(file: QueryFile): string {
  const sql = loadSources().get(file);
  if (sql === undefined) throw new UnavailableError(`sql file ${file}.sql is missing`);
  return sql;
}

/** Prepares every statement; fails with UnavailableError when the schema is not migrated. */
export function prepareQueries(db: Database): Queries {
  const prepared: Record<string, Statement> = {};
  try {
    for (const [file, sql] of loadSources()) {
      const statement = db.prepare(sql);
      prepared[camelCase(file)] = JOB_ROW_QUERIES.has(file) ? statement.raw(true) : statement;
    }
  } catch (err) {
    throw new UnavailableError('sqlite schema is missing or outdated: run migrate() first', undefined, { cause: err });
  }
  return prepared as Queries;
}
