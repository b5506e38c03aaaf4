/**
 * A database that goes away and comes back. Why PostgreSQL-specific: the failure modes are the
 * driver's and the pool's (reset connections, refused reconnects); a TCP proxy between the
 * store and the real server cuts the link without touching the server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DocketError, UnavailableError } from '@docket/protocol';
import type { Store } from '@docket/core';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.ts';
import { createPostgresStore } from '../src/mod.ts';
import { jobFactory } from '@docket/store-testkit';
import { describePostgres, openStore, POSTGRES_URL } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

/** The test URL with its host and port replaced by the proxy's. */
function throughProxy(proxy: TcpProxy): string {
  const url = new URL(POSTGRES_URL);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

/** Resolves with how the call settled and how long it took. */
async function timed(call: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await call;
    return { error: null, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describePostgres('database unavailable', () => {
  let proxy: TcpProxy;
  let store: Store;

  beforeAll(async () => {
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    store = await openStore({ connectionString: throughProxy(proxy), poolSize: 2 });
  });

  afterAll(async () => {
    await store.close();
    await proxy.close();
  });

  it('rejects with UnavailableError while cut, reports why, and serves again once restored', async () => {
    await store.jobEnqueueMany({ jobs: [makeJob({ id: 'before-cut' })], now: 1_000 });
    expect(await store.probe()).toBeNull();

    proxy.cut();
    const calls = [
      store.jobEnqueueMany({ jobs: [makeJob({ id: 'during-cut' })], now: 1_001 }),
      store.jobGet({ id: 'before-cut' }),
      store.jobLease({ queues: ['q'], max: 1, now: 1_002, leaseMs: null, worker: null, tokens: ['t'] }),
      store.queueStats({ queue: 'q' }),
    ];
    for (const call of calls) {
      const { error, ms } = await timed(call);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as DocketError).cause).toBeDefined();
      // Fails fast (well inside the connect timeout), never hangs.
      expect(ms).toBeLessThan(3_000);
    }
    expect(await store.probe()).toMatch(/^postgres unreachable: /);

    proxy.restore();
    expect(await store.probe()).toBeNull();
    expect(await store.jobGet({ id: 'before-cut' })).toMatchObject({ id: 'before-cut', state: 'waiting' });
    const [after] = await store.jobEnqueueMany({ jobs: [makeJob({ id: 'after-cut' })], now: 1_003 });
    expect(after?.created).toBe(true);
    expect(await store.jobGet({ id: 'during-cut' })).toBeNull();
  });

  it('an unreachable server fails migrate and calls with UnavailableError instead of hanging', async () => {
    const closed = await startTcpProxy({ host: '127.0.0.1', port: 1 });
    closed.cut();
    const unreachable = createPostgresStore({ connectionString: throughProxy(closed), schema: 'docket_never' });
    const { error } = await timed(unreachable.migrate());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(await unreachable.probe()).toMatch(/^postgres unreachable: /);
    await unreachable.close();
    await closed.close();
  });
});
