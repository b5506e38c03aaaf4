/**
 * The shared conformance suites against the PostgreSQL store: the Store port case by case, and
 * the engine's behaviour over it. Each store gets a fresh schema, dropped when it closes; caller
 * time, so the suites' manual clock drives every deadline.
 */
import { runEngineConformance, runStoreConformance } from '@docket/store-testkit';
import { describePostgres, openStore } from './support/postgres.ts';

const createStore = () => openStore({ dropOnClose: true });

describePostgres('postgres', () => {
  runStoreConformance({ name: 'postgres', createStore });
  runEngineConformance({ name: 'postgres', createStore });
});
