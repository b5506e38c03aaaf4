/**
 * The shared conformance suites against the SQLite store: the Store port case by case, and the
 * engine's behaviour over it. Each case gets a fresh database file (durability is the subject).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { runEngineConformance, runStoreConformance } from '@docket/store-testkit';
import { createSqliteStore } from '../src/mod.ts';

const dir = mkdtempSync(join(tmpdir(), 'docket-sqlite-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const createStore = async () => {
  const store = createSqliteStore({ path: join(dir, `${randomUUID()}.db`) });
  await store.migrate();
  return store;
};

runStoreConformance({ name: 'sqlite', createStore });
runEngineConformance({ name: 'sqlite', createStore });
