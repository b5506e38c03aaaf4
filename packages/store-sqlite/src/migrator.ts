/**
 * Numbered schema migrations: `migrations/NNNN_name.sql`, applied in order, each recorded in
 * `schema_migrations`. All pending migrations run in one BEGIN IMMEDIATE transaction, so two
 * processes migrating at once serialize and the second finds nothing to do; running `migrate()`
 * again is a no-op. A database that records a migration this build does not know is refused
 * (it was written by a newer version).
 */
import type { Database } from 'better-sqlite3';
import { UnavailableError } from '@docket/protocol';
import { readMigrations, unknownVersions, type Migration } from '@docket/core/store-support';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** The migrations shipped with this build, by version. */
export function loadMigrations(): Migration[] {
  return readMigrations(MIGRATIONS_DIR);
}

/** Applies the migrations the database lacks; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  const apply = db.transaction((): number[] => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    const applied = new Set(
      db
        .prepare('SELECT version FROM schema_migrations')
        .pluck()
        .all()
        .map((v) => Number(v)),
    );
    const unknown = unknownVersions(applied, migrations);
    if (unknown.length > 0) {
      throw new UnavailableError('database schema is newer than this build supports', { unknownVersions: unknown });
    }
    const insert = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      insert.run(migration.version, migration.name);
      done.push(migration.version);
    }
    return done;
  });
  return apply.immediate();
}
