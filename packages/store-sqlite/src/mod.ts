export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export type { CommitInfo, CommitListener } from './commit-batcher.ts';
