/**
 * PostgreSQL for the store's tests: the server under test (DOCKET_TEST_POSTGRES_URL, default the
 * machine's 127.0.0.1:5432 database `test`), a fresh schema per store (`docket_test_<random>`)
 * dropped with CASCADE when the store closes or the file ends, and the rule for a missing server:
 * with CI=true the file fails loudly; elsewhere its tests are skipped with the reason printed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import type { Store } from '@docket/core';
import { createPostgresStore, type PostgresStoreOptions } from '../../src/mod.ts';

export const POSTGRES_URL = process.env['DOCKET_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Null when the server answers; otherwise why not. */
async function unreachableReason(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL at ${POSTGRES_URL} is unreachable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unavailable = await unreachableReason();
if (unavailable !== null && process.env['CI'] === 'true') {
  throw new Error(`${unavailable} (CI=true: PostgreSQL is required, start it as .ci/run does)`);
}

/** Registers `body` as a describe block, or skips it with the printed reason when PostgreSQL is missing. */
export function describePostgres(name: string, body: () => void): void {
  if (unavailable === null) {
    describe(name, body);
    return;
  }
  console.warn(`[store-postgres] skipping "${name}": ${unavailable}`);
  describe.skip(name, () => {
    it(`needs PostgreSQL: ${unavailable}`, () => undefined);
  });
}

export function freshSchema(): string {
  return `docket_test_${randomBytes(8).toString('hex')}`;
}

let admin: pg.Pool | null = null;
const created = new Set<string>();

/** A small pool for test setup and inspection (not the store's). */
export function adminPool(): pg.Pool {
  admin ??= new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  return admin;
}

export async function dropSchema(schema: string): Promise<void> {
  created.delete(schema);
  await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

afterAll(async () => {
  for (const schema of [...created]) await dropSchema(schema);
  await admin?.end();
  admin = null;
});

export type TestStoreOptions = Partial<PostgresStoreOptions>;

/**
 * A migrated store over `schema` (fresh by default), in caller time unless told otherwise. Its
 * schema is dropped when the file ends, or at close when `dropOnClose` is set.
 */
export async function openStore(options: TestStoreOptions & { dropOnClose?: boolean } = {}): Promise<Store> {
  const { dropOnClose = false, ...rest } = options;
  const schema = rest.schema ?? freshSchema();
  created.add(schema);
  const store = createPostgresStore({ connectionString: POSTGRES_URL, time: 'caller', poolSize: 4, ...rest, schema });
  await store.migrate();
  if (!dropOnClose) return store;
  return {
    ...store,
    async close() {
      await store.close();
      await dropSchema(schema);
    },
  };
}
