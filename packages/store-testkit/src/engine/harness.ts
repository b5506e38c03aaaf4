/**
 * The engine test harness: an engine over the store under test, on a manual clock, with a
 * fixed jitter (random = 0.5, so backoff delays are exact) and an event log. Tests await
 * events instead of sleeping; `until` waits (on real time, bounded) for a condition that
 * asynchronous store commits make true.
 */
import { createEngine, manualClock, type Engine, type EngineEvents, type ManualClock, type Store } from '@docket/core';

export type StoreFactory = () => Promise<Store>;

export interface Harness {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly store: Store;
  readonly log: Array<{ event: keyof EngineEvents; jobId?: string }>;
}

export const T0 = Date.UTC(2026, 0, 1);
const LOGGED: Array<keyof EngineEvents> = [
  'job:enqueued',
  'job:deduplicated',
  'job:leased',
  'job:completed',
  'job:nacked',
  'job:retrying',
  'job:dead',
  'job:expired',
  'job:promoted',
  'job:reaped',
];

export async function createHarness(createStore: StoreFactory, options: { start?: boolean } = {}): Promise<Harness> {
  const store = await createStore();
  const clock = manualClock(T0);
  const engine = createEngine({ store, clock, random: () => 0.5 });
  const log: Harness['log'] = [];
  for (const event of LOGGED) {
    engine.events.on(event, (payload) => {
      const job = 'job' in payload ? payload.job : undefined;
      log.push(job === undefined ? { event } : { event, jobId: job.id });
    });
  }
  if (options.start !== false) engine.start();
  return { engine, clock, store, log };
}

/** Resolves with the first `event` whose payload passes `match`; rejects after `ms` of real time. */
export function nextEvent<K extends keyof EngineEvents>(
  engine: Engine,
  event: K,
  match: (payload: EngineEvents[K]) => boolean = () => true,
  ms = 5_000,
): Promise<EngineEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${ms} ms`));
    }, ms);
    const off = engine.events.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Polls `check` until it returns true; fails after `ms` of real time. For effects of async commits. */
export async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Leases exactly one job from `queue` (no wait), failing when none is ready. */
export async function leaseOne(engine: Engine, queue: string, options: { leaseMs?: number; worker?: string } = {}) {
  const jobs = await engine.lease({ queues: [queue], ...options });
  const job = jobs[0];
  if (job === undefined) throw new Error(`expected a ready job in ${queue}`);
  return job;
}

/**
 * Leases the next job of `queue`, waiting for a promotion or reaping in flight. The wait is
 * bounded in real time (the manual clock does not move by itself).
 */
export async function leaseNext(engine: Engine, queue: string) {
  const jobs = await engine.lease({ queues: [queue], waitMs: 60_000, signal: AbortSignal.timeout(5_000) });
  const job = jobs[0];
  if (job === undefined) throw new Error(`expected a job in ${queue} within 5 s`);
  return job;
}
