/**
 * The scripts and the key layout. Why Redis-specific: they are the store's storage format. Every
 * script file is in the catalog with a header naming its KEYS and ARGV; every key a deployment
 * writes carries its hash tag (one cluster slot); jobs leave no index entries behind when they
 * go; and a server that lost its script cache (restart, SCRIPT FLUSH) is served by EVAL.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@docket/core';
import { SCRIPT_NAMES, SCRIPTS_DIR, scriptSource } from '../src/script-catalog.ts';
import { jobFactory, freshTokens } from '@docket/store-testkit';
import { startPrivateRedis, privateRedisMissing, type PrivateRedis } from './support/private-redis.ts';
import { describeRedis, openStore, REDIS_URL, redisUnavailable, testPrefixes } from './support/redis-service.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const nextPrefix = testPrefixes();
const T = 1_000_000;

it('the scripts folder holds exactly the catalog, each with a header naming KEYS and ARGV', () => {
  const files = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.lua'));
  expect(files.map((f) => f.slice(0, -'.lua'.length)).sort()).toEqual([...SCRIPT_NAMES].sort());
  for (const name of SCRIPT_NAMES) {
    const source = scriptSource(name);
    expect(source, name).toMatch(/^#!lua( flags=no-writes)?\n-- /);
    expect(source, name).toContain("-- KEYS[1]  the deployment's key base");
    expect(source, name).toMatch(/^-- (ARGV\[1\]|Returns)/m);
    expect(source, name).not.toContain('@include');
  }
});

/** Every key of the deployment `prefix`. */
async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

describeRedis('key layout', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(() => redis.disconnect());

  it('every key carries the deployment hash tag, and jobs that go leave no index entries', async () => {
    const prefix = nextPrefix();
    const store: Store = await openStore(prefix);
    try {
      await store.jobEnqueueMany({
        jobs: [
          makeJob({ queue: 'a:b/c', expiresAt: T + 100_000, dedupKey: 'k', dedupUntil: T + 10 }),
          makeJob({ queue: 'a:b/c', state: 'delayed', runAt: T + 50 }),
          makeJob({ queue: 'other', encoding: 'bytes', data: new Uint8Array([1, 2]) }),
        ],
        now: T,
      });
      const [x, y] = await store.jobLease({
        queues: ['a:b/c', 'other'],
        max: 2,
        now: T,
        leaseMs: null,
        worker: 'w:1',
        tokens: freshTokens(2),
      });
      await store.jobAck({ id: x?.id ?? '', token: x?.leaseToken ?? '', now: T + 1, result: { ok: 1 } });
      await store.jobNack({
        id: y?.id ?? '',
        token: y?.leaseToken ?? '',
        now: T + 1,
        target: { state: 'dead', reason: 'rejected' },
        kind: 'failure',
        error: { message: 'no', at: T + 1, attempt: 1 },
        leaseExpiredOnly: false,
      });
      await store.queuePause({ queue: 'paused', now: T });
      const keys = await keysOf(redis, prefix);
      expect(keys.length).toBeGreaterThan(10);
      for (const key of keys) expect(key.startsWith(`{${prefix}}:`), key).toBe(true);

      for (const queue of ['a:b/c', 'other', 'paused']) await store.queueDelete({ queue });
      const left = (await keysOf(redis, prefix)).map((key) => key.slice(prefix.length + 3));
      expect(left).toEqual(['schema', 'seq', 'worker:w:1', 'workers']);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(redisUnavailable || privateRedisMissing !== null)('script cache', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await startPrivateRedis();
  });
  afterAll(() => server.stop());

  it('after SCRIPT FLUSH every operation still runs (EVAL reloads the script)', async () => {
    const store = await openStore('flush', { url: server.url });
    const admin = new Redis(server.url);
    try {
      await store.jobEnqueueMany({ jobs: [makeJob()], now: T });
      await admin.script('FLUSH');
      const leaseSha = createHash('sha1').update(scriptSource('job-lease')).digest('hex');
      expect(await admin.script('EXISTS', leaseSha)).toEqual([0]);
      const [leased] = await store.jobLease({
        queues: ['q'],
        max: 1,
        now: T,
        leaseMs: null,
        worker: null,
        tokens: freshTokens(1),
      });
      expect(leased?.state).toBe('active');
      expect((await store.queueStats({ queue: 'q' })).active).toBe(1);
      expect(await admin.script('EXISTS', leaseSha)).toEqual([1]);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });
});
