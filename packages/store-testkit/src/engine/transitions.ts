/**
 * Engine: every transition the engine asks the store for is in core's state table. A recording
 * wrapper around the store compares each job's state before and after every write.
 */
import { isAllowedTransition, type Store, type TransitionCause } from '@docket/core';
import type { Job, JobState } from '@docket/protocol';
import { describe, expect, it } from 'vitest';
import { createHarness, leaseNext, leaseOne, type StoreFactory } from './harness.ts';

interface Seen {
  readonly from: JobState | 'new';
  readonly to: JobState;
  readonly cause: TransitionCause;
  readonly reason: Job['deadReason'];
}

const CAUSES: Partial<Record<keyof Store, TransitionCause>> = {
  jobAck: 'ack',
  jobCancel: 'cancel',
  jobNack: 'nack',
};

function recording(store: Store, seen: Seen[]): Store {
  const wrap =
    <K extends 'jobAck' | 'jobCancel' | 'jobNack'>(name: K): Store[K] =>
    async (p: { id: string; kind?: string; leaseExpiredOnly?: boolean }) => {
      const before = await store.jobGet({ id: p.id });
      const after = await (store[name] as (q: typeof p) => Promise<Job>)(p);
      let cause = CAUSES[name] as TransitionCause;
      if (p.kind === 'failure') cause = p.leaseExpiredOnly === true ? 'reap' : 'fail';
      seen.push({ from: before?.state ?? 'new', to: after.state, cause, reason: after.deadReason });
      return after;
    };
  const overrides: Partial<Store> = {
    jobAck: wrap('jobAck'),
    jobCancel: wrap('jobCancel'),
    jobNack: wrap('jobNack'),
    jobEnqueueMany: async (p) => {
      const results = await store.jobEnqueueMany(p);
      for (const r of results)
        if (r.created) seen.push({ from: 'new', to: r.job.state, cause: 'enqueue', reason: null });
      return results;
    },
    jobLease: async (p) => {
      const jobs = await store.jobLease(p);
      for (const j of jobs) seen.push({ from: 'waiting', to: j.state, cause: 'lease', reason: null });
      return jobs;
    },
  };
  // A Proxy rather than a prototype copy: stores may keep #private state, which only the
  // original object can read, so every other method is called on the store itself.
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof Store];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function transitionCases(createStore: StoreFactory): void {
  describe('engine transitions', () => {
    it('every transition the engine asks for is in the state table', async () => {
      const seen: Seen[] = [];
      const h = await createHarness(async () => recording(await createStore(), seen));
      try {
        const a = (await h.engine.enqueue('q', { data: 1, maxAttempts: 4 })).job;
        await h.engine.enqueue('other', { data: 2, delayMs: 100 });
        let leased = await leaseOne(h.engine, 'q');
        await h.engine.nack(a.id, { token: leased.leaseToken, placement: 'front' });
        leased = await leaseOne(h.engine, 'q');
        await h.engine.nack(a.id, { token: leased.leaseToken, placement: 'delay', delayMs: 10 });
        h.clock.advance(10);
        await h.engine.nack(a.id, { token: (await leaseNext(h.engine, 'q')).leaseToken, fail: true });
        h.clock.advance(10_000);
        const last = await h.engine.nack(a.id, { token: (await leaseNext(h.engine, 'q')).leaseToken, fail: true });
        expect(last).toMatchObject({ state: 'dead', deadReason: 'max-attempts', attempts: 4 });
        await leaseNext(h.engine, 'other');
        const b = (await h.engine.enqueue('q', { data: 3 })).job;
        await h.engine.ack(b.id, { token: (await leaseOne(h.engine, 'q')).leaseToken });
        const c = (await h.engine.enqueue('q', { data: 4 })).job;
        await h.engine.cancel(c.id);
        expect(seen.length).toBeGreaterThanOrEqual(10);
        for (const t of seen) {
          expect(isAllowedTransition(t.from, t.to, t.cause, t.reason ?? undefined), JSON.stringify(t)).toBe(true);
        }
      } finally {
        await h.engine.close();
      }
    });
  });
}
