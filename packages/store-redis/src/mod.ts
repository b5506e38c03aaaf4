export { createRedisStore, type RedisStoreOptions } from './redis-store.ts';
export type { TimeMode } from './store-context.ts';
export { redisBackendWarnings } from './backend-warnings.ts';
