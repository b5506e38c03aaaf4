/**
 * Migrations and the schema. Why PostgreSQL-specific: the numbered files in src/migrations, the
 * schema_migrations table and the advisory lock that serializes servers belong to this store.
 */
import { expect, it } from 'vitest';
import { InvalidArgumentError, UnavailableError } from '@docket/protocol';
import { loadMigrations } from '../src/migrator.ts';
import { createPostgresStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { adminPool, describePostgres, dropSchema, freshSchema, openStore, POSTGRES_URL } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

async function catalogOf(schema: string): Promise<unknown[]> {
  const { rows } = await adminPool().query<Record<string, unknown>>(
    `SELECT c.relname, c.relkind, pg_get_indexdef(c.oid) AS def
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 ORDER BY c.relname`,
    [schema],
  );
  return rows;
}

describePostgres('migrations', () => {
  it('the shipped migrations are numbered 0001, 0002, … with no gap and no repeat', () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('migrate creates the schema, everything lives in it, and running it again changes nothing', async () => {
    const schema = freshSchema();
    const store = await openStore({ schema });
    const catalog = await catalogOf(schema);
    expect(catalog.length).toBeGreaterThan(0);
    await store.migrate();
    await store.migrate();
    expect(await catalogOf(schema)).toEqual(catalog);
    const { rows } = await adminPool().query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows.map((r: { version: number }) => r.version)).toEqual(loadMigrations().map((m) => m.version));
    const { rows: publicTables } = await adminPool().query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('jobs', 'queues', 'workers')",
    );
    expect(publicTables).toEqual([]);
    await store.close();
  });

  it('a schema migrated by a newer build is refused', async () => {
    const schema = freshSchema();
    const first = await openStore({ schema });
    await first.close();
    await adminPool().query(
      `INSERT INTO "${schema}".schema_migrations (version, name) VALUES (9999, 'from_the_future')`,
    );
    const store = createPostgresStore({ connectionString: POSTGRES_URL, schema, time: 'caller' });
    await expect(store.migrate()).rejects.toBeInstanceOf(UnavailableError);
    await store.close();
    await dropSchema(schema);
  });

  it('operations before migrate reject with UnavailableError naming migrate()', async () => {
    const schema = freshSchema();
    const store = createPostgresStore({ connectionString: POSTGRES_URL, schema, time: 'caller', poolSize: 1 });
    await expect(store.jobGet({ id: 'x' })).rejects.toThrow(/run migrate\(\)/);
    await expect(store.jobEnqueueMany({ jobs: [makeJob()], now: 1_000 })).rejects.toBeInstanceOf(UnavailableError);
    await store.migrate();
    expect(await store.jobGet({ id: 'x' })).toBeNull();
    await store.close();
    await dropSchema(schema);
  });

  it('a schema name that is not a plain identifier is refused before any connection', () => {
    for (const schema of ['', 'a b', 'x"; DROP TABLE jobs; --', '1abc', 'a'.repeat(64)]) {
      expect(() => createPostgresStore({ connectionString: POSTGRES_URL, schema })).toThrow(InvalidArgumentError);
    }
  });

  it('a mixed-case schema name is kept as written', async () => {
    const schema = `Docket_Mixed_${freshSchema().slice(-8)}`;
    const store = await openStore({ schema });
    await store.jobEnqueueMany({ jobs: [makeJob({ id: 'mixed' })], now: 1_000 });
    const { rows } = await adminPool().query(`SELECT id FROM "${schema}".jobs`);
    expect(rows).toEqual([{ id: 'mixed' }]);
    await store.close();
  });
});
