/**
 * Migrations. Why SQLite-specific: the numbered files in src/migrations and the
 * schema_migrations table that records them belong to this store.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '@docket/protocol';
import { loadMigrations, migrate } from '../src/migrator.ts';
import { createSqliteStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { useTempDir } from './support/temp-dir.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const path = useTempDir('migrations');

function schemaOf(db: Database.Database): unknown[] {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
}

describe('migrations', () => {
  it('the shipped migrations are numbered 0001, 0002, … with no gap and no repeat', () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('running them twice is a no-op', () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    expect(migrate(db, migrations)).toEqual(migrations.map((m) => m.version));
    const schema = schemaOf(db);
    expect(migrate(db, migrations)).toEqual([]);
    expect(schemaOf(db)).toEqual(schema);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(migrations.map((m) => m.version));
  });

  it('a reopened database keeps its jobs and migrates as a no-op', async () => {
    const file = path('reopen.db');
    const first = createSqliteStore({ path: file });
    await first.migrate();
    await first.migrate();
    await first.jobEnqueueMany({ jobs: [makeJob({ id: 'kept' })], now: 1_000 });
    await first.close();
    const second = createSqliteStore({ path: file });
    await second.migrate();
    expect(await second.jobGet({ id: 'kept' })).toMatchObject({ id: 'kept', state: 'waiting' });
    await second.close();
  });

  it('a database migrated by a newer build is refused', async () => {
    const file = path('newer.db');
    const db = new Database(file);
    migrate(db, loadMigrations());
    db.prepare("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')").run();
    db.close();
    const store = createSqliteStore({ path: file });
    await expect(store.migrate()).rejects.toBeInstanceOf(UnavailableError);
    await store.close();
  });

  it('operations before migrate reject with UnavailableError', async () => {
    const store = createSqliteStore({ path: path('unmigrated.db') });
    await expect(store.jobGet({ id: 'x' })).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.jobEnqueueMany({ jobs: [makeJob()], now: 1_000 })).rejects.toBeInstanceOf(UnavailableError);
    await store.migrate();
    expect(await store.jobGet({ id: 'x' })).toBeNull();
    await store.close();
  });
});
