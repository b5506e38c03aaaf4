/**
 * The Redis these tests run against (DOCKET_TEST_REDIS_URL, default the machine's
 * redis://127.0.0.1:6379), checked once per test file. When it does not answer: with CI=true the
 * file fails at once with the reason; elsewhere its tests are skipped and the reason is printed.
 * Every test works under its own fresh prefix and deletes its keys afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import type { Store } from '@docket/core';
import { createRedisStore, type RedisStoreOptions } from '../../src/mod.ts';
import { keyPattern } from '../../src/key-layout.ts';

export const REDIS_URL = process.env.DOCKET_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function unreachableReason(): Promise<string | null> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return `Redis at ${REDIS_URL} does not answer (${(err as Error).message})`;
  } finally {
    client.disconnect();
  }
}

const reason = await unreachableReason();
if (reason !== null && process.env.CI === 'true') {
  throw new Error(`${reason}: the Redis store tests need it (CI=true, so this fails instead of skipping)`);
}
if (reason !== null) console.warn(`[store-redis] skipping Redis tests: ${reason}`);

/** True when Redis is unreachable (outside CI: under CI=true the file has failed already). */
export const redisUnavailable = reason !== null;

/** `describe`, skipped when Redis is unreachable outside CI. */
export const describeRedis = describe.skipIf(redisUnavailable);

/**
 * Fresh prefixes for one test file (`docket-test-<uuid>-<n>`), whose keys are all deleted
 * (SCAN + UNLINK) after the file's tests.
 */
export function testPrefixes(): () => string {
  const run = `docket-test-${randomUUID()}-`;
  let count = 0;
  afterAll(async () => {
    if (reason === null) await deleteKeys(run);
  });
  return () => {
    count += 1;
    return `${run}${count}`;
  };
}

/** Deletes every key of the deployments whose prefix starts with `prefixStart`. */
export async function deleteKeys(prefixStart: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', keyPattern(prefixStart), 'COUNT', 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A migrated store over `prefix` in caller time mode, unless `options` say otherwise. */
export async function openStore(prefix: string, options: Partial<RedisStoreOptions> = {}): Promise<Store> {
  const store = createRedisStore({ url: REDIS_URL, prefix, time: 'caller', ...options });
  await store.migrate();
  return store;
}
