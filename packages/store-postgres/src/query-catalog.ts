/**
 * The SQL of the store: one statement per file in `queries/`, each with a header listing its
 * inputs and outputs. Files use named parameters (`:queue`); they are compiled once per process
 * to PostgreSQL's positional form (`$1`) and sent as named prepared statements, so each pooled
 * connection parses and plans a statement once and reuses it. Table names are unqualified: every
 * connection of the store runs with `search_path` set to its schema (pool.ts).
 */
import { readFileSync } from 'node:fs';
import { InternalError } from '@docket/protocol';

export const QUERIES_DIR = new URL('./queries/', import.meta.url);

/** Every file of `queries/` (without `.sql`); a test checks the folder holds exactly these. */
export const QUERY_FILES = [
  'job-bytes-count',
  'job-cancel',
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
  'job-get-attempts',
  'job-get-by-id',
  'job-get-by-ids',
  'job-group-adopt',
  'job-group-heads',
  'job-group-ring',
  'job-group-served',
  'job-group-window-set',
  'job-groups-delete',
  'job-insert',
  'job-kill-expired',
  'job-lease',
  'job-lease-claim-seqs',
  'job-lease-expired',
  'job-list-active',
  'job-list-all',
  'job-list-delayed',
  'job-list-finished',
  'job-list-waiting-lower-priority',
  'job-list-waiting-same-priority',
  'job-lock-dedup',
  'job-lock-for-bytes',
  'job-nack',
  'job-nack-many',
  'job-promote',
  'job-promote-due',
  'job-retry',
  'queue-backlog-bytes',
  'queue-backlog-bytes-track',
  'queue-configure',
  'queue-count-failures',
  'queue-counts',
  'queue-delete',
  'queue-ensure',
  'queue-fold-tallies',
  'queue-get',
  'queue-groups',
  'queue-list',
  'queue-list-limited',
  'queue-lock-flow',
  'queue-purge',
  'queue-redrive',
  'queue-set-paused',
  'queue-window-set',
  'schedule-advance',
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
  'worker-list',
  'worker-upsert',
] as const;

export type QueryFile = (typeof QUERY_FILES)[number];

export interface CompiledQuery {
  /** The prepared statement's name, the same on every connection. */
  readonly name: string;
  readonly text: string;
  /** Parameter names in `$n` order. */
  readonly params: readonly string[];
}

/** `:name` not preceded by another colon (so `::bigint` casts are left alone). */
const NAMED_PARAM = /(?<!:):([a-zA-Z][a-zA-Z0-9]*)/g;

/** Drops `--` comment lines (headers mention parameter names) and compiles `:name` to `$n`. */
export function compileQuery(file: string, source: string): CompiledQuery {
  const body = source
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim();
  const params: string[] = [];
  const text = body.replace(NAMED_PARAM, (_, name: string) => {
    let index = params.indexOf(name);
    if (index < 0) index = params.push(name) - 1;
    return `$${index + 1}`;
  });
  return { name: `docket_${file}`, text, params };
}

let compiled: ReadonlyMap<QueryFile, CompiledQuery> | null = null;

/** Reads and compiles the SQL files once per process; call at start-up so a missing file fails early. */
export function loadQueries(): ReadonlyMap<QueryFile, CompiledQuery> {
  compiled ??= new Map(
    QUERY_FILES.map((file) => [file, compileQuery(file, readFileSync(new URL(`${file}.sql`, QUERIES_DIR), 'utf8'))]),
  );
  return compiled;
}

/** The statement of one file with its values in `$n` order; a missing parameter is a bug. */
export function boundQuery(file: QueryFile, values: object): { name: string; text: string; values: unknown[] } {
  const query = loadQueries().get(file);
  if (query === undefined) throw new InternalError(`sql file ${file}.sql is missing`);
  return {
    name: query.name,
    text: query.text,
    values: query.params.map((name) => {
      if (!(name in values)) throw new InternalError(`${file}.sql needs parameter :${name}`);
      return (values as Record<string, unknown>)[name];
    }),
  };
}
