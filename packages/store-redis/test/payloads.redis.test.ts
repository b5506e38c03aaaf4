/**
 * Payload round-trips. Why Redis-specific: script replies are decoded as UTF-8 text, so the store
 * keeps bytes as base64 and JSON as its text; every byte value, a payload at the 1 MiB limit, and
 * JSON text outside the Basic Multilingual Plane must come back exactly.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '@docket/core';
import { jobFactory, freshTokens } from '@docket/store-testkit';
import { describeRedis, openStore, testPrefixes } from './support/redis-service.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const nextPrefix = testPrefixes();

/** Exact byte equality (deep-equal over a megabyte of elements is far too slow). */
function sameBytes(actual: unknown, expected: Uint8Array): boolean {
  return actual instanceof Uint8Array && Buffer.from(actual).equals(Buffer.from(expected));
}

describeRedis('payloads', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(nextPrefix());
  });
  afterAll(() => store.close());

  it('bytes come back exactly, through get, lease and list', async () => {
    const samples = [Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(randomBytes(1024 * 1024))];
    for (const data of samples) {
      const job = makeJob({ queue: 'bytes', encoding: 'bytes', data });
      await store.jobEnqueueMany({ jobs: [job], now: 1 });
      expect(sameBytes((await store.jobGet({ id: job.id }))?.data, data)).toBe(true);
      const [leased] = await store.jobLease({
        queues: ['bytes'],
        max: 1,
        now: 1,
        leaseMs: null,
        worker: null,
        tokens: freshTokens(1),
      });
      expect(sameBytes(leased?.data, data)).toBe(true);
    }
    const listed = await store.jobList({ queue: 'bytes', state: null, limit: 10, cursor: null });
    expect(listed.items.map((j, i) => sameBytes(j.data, samples[i] ?? new Uint8Array()))).toEqual([true, true]);
  });

  it('JSON text with astral characters, escapes and large numbers comes back deep-equal', async () => {
    const data = {
      emoji: '🦀 日本 \u2028',
      lone: '\ud800',
      nul: 'a\u0000b',
      big: 2 ** 53 - 1,
      tiny: 5e-324,
      nested: [[[{}]]],
    };
    const job = makeJob({ queue: 'json', data, meta: { note: 'ünïcödé 🦀' } });
    await store.jobEnqueueMany({ jobs: [job], now: 1 });
    const [leased] = await store.jobLease({
      queues: ['json'],
      max: 1,
      now: 1,
      leaseMs: null,
      worker: null,
      tokens: freshTokens(1),
    });
    expect(leased?.data).toEqual(data);
    expect(leased?.meta).toEqual({ note: 'ünïcödé 🦀' });
    const acked = await store.jobAck({ id: job.id, token: leased?.leaseToken ?? '', now: 2, result: data });
    expect((await store.jobGet({ id: job.id }))?.result).toEqual(data);
    expect(acked.result).toEqual(data);
  });
});
