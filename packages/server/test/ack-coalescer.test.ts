/**
 * The consumer streams' ack coalescer over a real engine on a SQLite file: acks issued in one
 * loop turn reach the engine as one ackMany, and each caller gets its own item's outcome.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type AckItem, type Engine } from '@docket/core';
import { LeaseMismatchError } from '@docket/protocol';
import { createSqliteStore } from '@docket/store-sqlite';
import { createAckCoalescer } from '../src/streaming/ack-coalescer.ts';

describe('ack coalescer', () => {
  let dir: string;
  let engine: Engine;
  let calls: (readonly AckItem[])[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docket-coalescer-'));
    const store = createSqliteStore({ path: join(dir, 'docket.sqlite') });
    await store.migrate();
    engine = createEngine({ store });
    calls = [];
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const recordingEngine = (): Pick<Engine, 'ackMany'> => ({
    ackMany: (items) => {
      calls.push(items);
      return engine.ackMany(items);
    },
  });

  it('acks of one loop turn go to the engine in one call, each answered with its own outcome', async () => {
    await engine.enqueueMany('q', [{ data: 1 }, { data: 2 }, { data: 3 }]);
    const [a, b, c] = await engine.lease({ queues: ['q'], max: 3 });
    if (a === undefined || b === undefined || c === undefined) throw new Error('expected three leased jobs');
    const ack = createAckCoalescer(recordingEngine());
    const answers = await Promise.allSettled([
      ack({ id: a.id, token: a.leaseToken, result: 'a' }),
      ack({ id: b.id, token: 'stale' }),
      ack({ id: c.id, token: c.leaseToken }),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(3);
    expect(answers[0]).toMatchObject({ status: 'fulfilled', value: { id: a.id, state: 'completed', result: 'a' } });
    expect(answers[1]).toMatchObject({ status: 'rejected' });
    expect((answers[1] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseMismatchError);
    expect(answers[2]).toMatchObject({ status: 'fulfilled', value: { id: c.id, state: 'completed' } });
    expect(await engine.get(b.id)).toMatchObject({ state: 'active' });
  });

  it('acks of later turns go in later calls', async () => {
    await engine.enqueueMany('q', [{ data: 1 }, { data: 2 }]);
    const [a, b] = await engine.lease({ queues: ['q'], max: 2 });
    if (a === undefined || b === undefined) throw new Error('expected two leased jobs');
    const ack = createAckCoalescer(recordingEngine());
    await ack({ id: a.id, token: a.leaseToken });
    await ack({ id: b.id, token: b.leaseToken });
    expect(calls.map((items) => items.map((item) => item.id))).toEqual([[a.id], [b.id]]);
  });
});
