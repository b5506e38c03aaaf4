/**
 * Numbered schema migrations: `migrations/NNNN_name.sql`, applied in order, each recorded in
 * `schema_migrations` inside the store's schema (created if missing).
 *
 * Invariants: all pending migrations run in one transaction that first takes a transaction-scoped
 * advisory lock derived from the schema name, so several servers starting at once serialize: the
 * first applies everything, the others wait, then find nothing to do. A failure rolls everything
 * back (PostgreSQL DDL is transactional). Running `migrate()` again is a no-op. A schema that
 * records a migration this build does not know is refused (a newer version wrote it).
 */
import type pg from 'pg';
import { UnavailableError } from '@docket/protocol';
import { readMigrations, unknownVersions, type Migration } from '@docket/core/store-support';
import { quoteSchema } from './pool.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Servers waiting for another one's migration give up after this (DDL on a big table can be slow). */
const MIGRATION_LOCK_TIMEOUT = '60s';

/** The migrations shipped with this build, by version. */
export function loadMigrations(): Migration[] {
  return readMigrations(MIGRATIONS_DIR);
}

/**
 * Applies the migrations the schema lacks, on `client` (whose search_path is the schema);
 * returns the versions applied. The caller owns the client and maps errors.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  const quoted = quoteSchema(schema);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`);
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`docket.migrate.${schema}`]);
    const existing = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
    if (existing.rowCount === 0) await client.query(`CREATE SCHEMA ${quoted}`);
    await client.query(`SET LOCAL search_path = ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${quoted}.schema_migrations`);
    const applied = new Set(rows.map((r) => r.version));
    const unknown = unknownVersions(applied, migrations);
    if (unknown.length > 0) {
      throw new UnavailableError('postgres schema is newer than this build supports', {
        schema,
        unknownVersions: unknown,
      });
    }
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
