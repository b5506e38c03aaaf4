export { createPostgresStore, type PostgresStoreOptions, type TimeMode } from './postgres-store.ts';
export { postgresBackendWarnings } from './backend-warnings.ts';
