/**
 * Losing Redis and getting it back. Why Redis-specific: the store keeps one network connection
 * that must fail fast while Redis is unreachable (UnavailableError at once, never a hang), say
 * why in probe(), and reconnect by itself. A TCP proxy between the store and Redis is cut and
 * restored; the store is never restarted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UnavailableError } from '@docket/protocol';
import type { Store } from '@docket/core';
import { jobFactory } from '@docket/store-testkit';
import { describeRedis, openStore, REDIS_URL, testPrefixes } from './support/redis-service.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

const nextPrefix = testPrefixes();

/** Polls `check` until it returns true; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeRedis('fault recovery', () => {
  let proxy: TcpProxy;
  let store: Store;

  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    store = await openStore(nextPrefix(), { url: `redis://127.0.0.1:${proxy.port}` });
  });
  afterAll(async () => {
    await store.close();
    await proxy.close();
  });

  it('rejects with UnavailableError while cut, says why in probe, and recovers by itself', async () => {
    const before = makeJob();
    await store.jobEnqueueMany({ jobs: [before], now: 1_000 });
    expect(await store.probe()).toBeNull();

    proxy.cut();
    await until(async () => (await store.probe()) !== null, 5_000);
    expect(await store.probe()).toMatch(/^redis unreachable/);
    const started = Date.now();
    const calls = [
      store.jobEnqueueMany({ jobs: [makeJob()], now: 1_001 }),
      store.jobGet({ id: before.id }),
      store.jobLease({ queues: ['q'], max: 1, now: 1_001, leaseMs: null, worker: null, tokens: ['t'] }),
      store.queueStats({ queue: 'q' }),
    ];
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(UnavailableError);
    // Fails fast: well within the 15 s command timeout, so nothing waited for a connection.
    expect(Date.now() - started).toBeLessThan(5_000);

    proxy.restore();
    await until(async () => (await store.probe()) === null, 10_000);
    const after = makeJob();
    const [result] = await store.jobEnqueueMany({ jobs: [after], now: 1_002 });
    expect(result?.created).toBe(true);
    expect((await store.jobGet({ id: before.id }))?.id).toBe(before.id);
    expect((await store.queueStats({ queue: 'q' })).waiting).toBe(2);
  });

  it('a call in flight when the connection drops rejects with UnavailableError instead of hanging', async () => {
    proxy.blackhole();
    const sent = proxy.nextDrop();
    const pending = store.queueList({ limit: 10, cursor: null });
    await sent;
    proxy.cut();
    await expect(pending).rejects.toBeInstanceOf(UnavailableError);
    proxy.restore();
    await until(async () => (await store.probe()) === null, 10_000);
    expect((await store.queueList({ limit: 10, cursor: null })).items.map((q) => q.name)).toEqual(['q']);
  });

  it('a call to a Redis that stopped answering rejects with UnavailableError after the command timeout', async () => {
    const impatient = await openStore(nextPrefix(), { url: `redis://127.0.0.1:${proxy.port}`, commandTimeoutMs: 300 });
    try {
      proxy.blackhole();
      const started = Date.now();
      await expect(impatient.queueStats({ queue: 'q' })).rejects.toBeInstanceOf(UnavailableError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      proxy.restore();
      await impatient.close();
    }
  });
});
