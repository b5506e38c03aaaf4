/**
 * Job counters fed by the engine's events: `docket_jobs_<event>_total{queue}` and dead jobs by
 * reason. Labels stay bounded: queue names and the five dead reasons.
 */
import type { Counter } from 'prom-client';
import type { EngineEvents, EventHub } from '@docket/core';

type CounterFactory = <L extends string>(name: string, help: string, labelNames: L[]) => Counter<L>;

/** Subscribes the counters; returns the function that unsubscribes them all. */
export function subscribeJobCounters(events: EventHub<EngineEvents>, counter: CounterFactory): () => void {
  const byQueue = (name: string, help: string): Counter<'queue'> =>
    counter(`docket_jobs_${name}_total`, help, ['queue']);
  const enqueued = byQueue('enqueued', 'jobs created by enqueue');
  const deduplicated = byQueue('deduplicated', 'enqueues that returned an existing job (same id or dedupKey)');
  const leased = byQueue('leased', 'leases handed to consumers');
  const acked = byQueue('acked', 'jobs acked (completed)');
  const nacked = byQueue('nacked', 'jobs given back by choice (front, back or delay)');
  const retried = byQueue('retried', 'failed attempts that will run again after backoff');
  const reaped = byQueue('reaped', 'leases that ran out and were taken back');
  const expired = byQueue('expired', 'jobs that reached expiresAt unfinished');
  const dead = counter('docket_jobs_dead_total', 'jobs that became dead, by reason', ['queue', 'reason']);
  const offs = [
    events.on('job:enqueued', ({ job }) => enqueued.inc({ queue: job.queue })),
    events.on('job:deduplicated', ({ job }) => deduplicated.inc({ queue: job.queue })),
    events.on('job:leased', ({ job }) => leased.inc({ queue: job.queue })),
    events.on('job:completed', ({ job }) => acked.inc({ queue: job.queue })),
    events.on('job:nacked', ({ job }) => nacked.inc({ queue: job.queue })),
    events.on('job:retrying', ({ job }) => retried.inc({ queue: job.queue })),
    events.on('job:reaped', ({ job }) => reaped.inc({ queue: job.queue })),
    events.on('job:expired', ({ job }) => expired.inc({ queue: job.queue })),
    events.on('job:dead', ({ job }) => dead.inc({ queue: job.queue, reason: job.deadReason ?? 'unknown' })),
  ];
  return () => {
    for (const off of offs) off();
  };
}
