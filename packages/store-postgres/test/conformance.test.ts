/**
 * The shared conformance suites against the PostgreSQL store: the Store port case by case, and
 * the engine's behaviour over it. Each store gets a fresh schema, dropped when it closes; caller
 * time, so the suites' manual clock drives every deadline. A peer store over the same schema (its
 * own pools) stands for a second server in the races between servers.
 */
import type { Store } from '@docket/core';
import { runEngineConformance, runStoreConformance } from '@docket/store-testkit';
import { describePostgres, freshSchema, openStore } from './support/postgres.ts';

const schemas = new WeakMap<Store, string>();
const createStore = async (): Promise<Store> => {
  const schema = freshSchema();
  const store = await openStore({ schema, dropOnClose: true });
  schemas.set(store, schema);
  return store;
};
const openPeer = (store: Store): Promise<Store> => {
  const schema = schemas.get(store);
  if (schema === undefined) throw new Error('a peer needs a store made by createStore');
  return openStore({ schema });
};

describePostgres('postgres', () => {
  runStoreConformance({ name: 'postgres', createStore, openPeer });
  runEngineConformance({ name: 'postgres', createStore });
});
