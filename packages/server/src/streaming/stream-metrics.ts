/**
 * Stream metrics on the app's registry: open streams per queue (consumer and event streams
 * alike, and miniqueue's subscribers over HTTP/2 and RESP, as `docket_stream_subscribers`) and
 * the streams the server closed because their client did not read. One set per registry, shared
 * by the stream routes and the miniqueue doors.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface StreamMetrics {
  opened(queues: readonly string[]): void;
  closed(queues: readonly string[]): void;
  slowConsumer(): void;
}

const byRegistry = new WeakMap<Registry, StreamMetrics>();

export function streamMetrics(registry: Registry): StreamMetrics {
  const existing = byRegistry.get(registry);
  if (existing !== undefined) return existing;
  const subscribers = new Gauge({
    name: 'docket_stream_subscribers',
    help: 'open consumer and event streams, per queue',
    labelNames: ['queue'],
    registers: [registry],
  });
  const slow = new Counter({
    name: 'docket_stream_slow_consumer_disconnects_total',
    help: 'streams the server closed because the client did not read fast enough',
    registers: [registry],
  });
  const metrics: StreamMetrics = {
    opened: (queues) => {
      for (const queue of queues) subscribers.inc({ queue });
    },
    closed: (queues) => {
      for (const queue of queues) subscribers.dec({ queue });
    },
    slowConsumer: () => slow.inc(),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
