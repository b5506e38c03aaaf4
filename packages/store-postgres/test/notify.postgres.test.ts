/**
 * Ready notifications between servers. Why PostgreSQL-specific: they travel by LISTEN/NOTIFY on
 * a channel of the schema; two store instances over one schema stand for two servers.
 */
import { afterEach, expect, it } from 'vitest';
import type { Store } from '@docket/core';
import { createEngine, manualClock } from '@docket/core';
import { startTcpProxy } from '../../../test/support/tcp-proxy.ts';
import { describePostgres, freshSchema, openStore, POSTGRES_URL } from './support/postgres.ts';

interface Heard {
  readonly queue: string;
  readonly count: number;
}

/** Resolves once `heard` holds `n` entries; rejects after `ms` of real time. */
async function untilHeard(heard: readonly Heard[], n: number, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (heard.length < n) {
    if (Date.now() > deadline) throw new Error(`heard ${heard.length} notifications, expected ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const PROBE = 'listener-probe';

/**
 * Waits until the store's LISTEN is in effect (a NOTIFY sent before that is lost, as the port
 * allows): another instance sends probes until one arrives.
 */
async function untilListening(store: Store): Promise<void> {
  let probed = false;
  const off = store.onReady((queue) => {
    if (queue === PROBE) probed = true;
  });
  const other = await openStore({ schema: schemaOf.get(store) ?? '' });
  try {
    const deadline = Date.now() + 5_000;
    while (!probed) {
      if (Date.now() > deadline) throw new Error('the listener never started');
      other.notifyReady(PROBE, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    off();
    await other.close();
  }
}

/** Subscribes `heard` (probes left out) and waits until it is listening. */
async function listen(store: Store, heard: Heard[]): Promise<() => void> {
  const off = store.onReady((queue, count) => {
    if (queue !== PROBE) heard.push({ queue, count });
  });
  await untilListening(store);
  return off;
}

const schemaOf = new WeakMap<Store, string>();
const open: Store[] = [];

async function node(schema: string, connectionString = POSTGRES_URL): Promise<Store> {
  const store = await openStore({ schema, connectionString });
  schemaOf.set(store, schema);
  open.push(store);
  return store;
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

describePostgres('ready notifications', () => {
  it('a notifyReady on one instance reaches the other instances of the schema, not itself', async () => {
    const schema = freshSchema();
    const [a, b, c] = [await node(schema), await node(schema), await node(schema)];
    const heardA: Heard[] = [];
    const heardB: Heard[] = [];
    const heardC: Heard[] = [];
    await listen(a, heardA);
    await listen(b, heardB);
    await listen(c, heardC);
    a.notifyReady('emails', 3);
    b.notifyReady('reports', 1);
    await untilHeard(heardA, 1);
    await untilHeard(heardB, 1);
    await untilHeard(heardC, 2);
    expect(heardA).toEqual([{ queue: 'reports', count: 1 }]);
    expect(heardB).toEqual([{ queue: 'emails', count: 3 }]);
    expect([...heardC].sort((x, y) => x.queue.localeCompare(y.queue))).toEqual([
      { queue: 'emails', count: 3 },
      { queue: 'reports', count: 1 },
    ]);
  });

  it('another schema does not hear it, and an unsubscribed listener hears nothing more', async () => {
    const [a, b] = [await node(freshSchema()), await node(freshSchema())];
    const sameSchemaAsA = await node(schemaOf.get(a) ?? '');
    const heardB: Heard[] = [];
    const heardSame: Heard[] = [];
    await listen(b, heardB);
    const off = await listen(sameSchemaAsA, heardSame);
    a.notifyReady('q', 1);
    await untilHeard(heardSame, 1);
    off();
    a.notifyReady('q', 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heardSame).toEqual([{ queue: 'q', count: 1 }]);
    expect(heardB).toEqual([]);
  });

  it('an enqueue on one engine wakes a long-poll parked on another', async () => {
    const schema = freshSchema();
    const [a, b] = [await node(schema), await node(schema)];
    const consumer = createEngine({ store: b, clock: manualClock(Date.now()) });
    const producer = createEngine({ store: a, clock: manualClock(Date.now()) });
    await listen(b, []);
    const parked = consumer.lease({ queues: ['wake'], waitMs: 30_000, signal: AbortSignal.timeout(10_000) });
    const deadline = Date.now() + 5_000;
    while (consumer.parkedLeases() === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(consumer.parkedLeases()).toBe(1);
    const { job } = await producer.enqueue('wake', { data: { hello: 'node b' } });
    const [leased] = await parked;
    expect(leased?.id).toBe(job.id);
  });

  it('the listener reconnects by itself after its connection is cut', async () => {
    const target = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(POSTGRES_URL);
    proxied.port = String(proxy.port);
    try {
      const schema = freshSchema();
      const sender = await node(schema);
      const receiver = await node(schema, proxied.toString());
      const heard: Heard[] = [];
      await listen(receiver, heard);
      proxy.cut();
      sender.notifyReady('lost', 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.restore();
      await untilListening(receiver);
      sender.notifyReady('after', 2);
      await untilHeard(heard, 1);
      expect(heard).toEqual([{ queue: 'after', count: 2 }]);
    } finally {
      await proxy.close();
    }
  });
});
