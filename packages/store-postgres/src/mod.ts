export { createPostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
export { postgresBackendWarnings } from './backend-warnings.ts';
export type { TimeMode } from './executor.ts';
