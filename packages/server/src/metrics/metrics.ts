/**
 * The app's Prometheus metrics, on a registry of its own (several apps in one process, as in
 * tests, never collide). Job counters follow the engine's events; queue depths are read from
 * the engine on each scrape; HTTP durations come from the onResponse hook.
 *
 * Lifecycle: created with the app, subscribed to the engine's events until `close()` (the
 * app's onClose hook), which unsubscribes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JOB_STATES } from '@docket/protocol';
import type { Engine } from '@docket/core';
import type { CommitMetrics } from './commit-metrics.ts';
import { subscribeJobCounters } from './job-counters.ts';

export interface BuildInfo {
  readonly version: string;
  readonly store: string;
}

export interface MetricsOptions {
  readonly engine: Engine;
  readonly registry?: Registry;
  readonly commitMetrics: CommitMetrics;
  /** `process_*` and `nodejs_*` metrics (default true). */
  readonly defaultMetrics?: boolean;
  readonly buildInfo: BuildInfo;
  readonly onScrapeError: (err: unknown) => void;
}

export interface Metrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** Counts one failed authentication (docket_auth_failures_total{reason}). */
  authFailed(reason: string): void;
  close(): void;
}

/** Queue pages read per scrape, at most: 10 × 1 000 queues keeps a scrape under a second. */
const SCRAPE_PAGES_MAX = 10;
const SCRAPE_PAGE_SIZE = 1000;
/** From 1 ms (an in-memory answer) to 60 s (the longest long-poll). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The registry `/metrics` serves (prom-client's). */
export type MetricsRegistry = Registry;

/** A registry for `buildApp` that listeners outside the app (the RESP door) can also count in. */
export function createMetricsRegistry(): MetricsRegistry {
  return new Registry();
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  options.commitMetrics.register(registry);

  new Gauge({
    name: 'docket_build_info',
    help: 'build information; always 1',
    labelNames: ['version', 'store', 'node_version'],
    registers,
  }).set({ version: options.buildInfo.version, store: options.buildInfo.store, node_version: process.version }, 1);

  const engine = options.engine;
  new Gauge({
    name: 'docket_queue_jobs',
    help: 'jobs per queue and state, read from storage on each scrape',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      try {
        let cursor: string | undefined;
        for (let page = 0; page < SCRAPE_PAGES_MAX; page += 1) {
          const result = await engine.listQueues(
            cursor === undefined ? { limit: SCRAPE_PAGE_SIZE } : { limit: SCRAPE_PAGE_SIZE, cursor },
          );
          for (const queue of result.items) {
            for (const state of JOB_STATES) this.set({ queue: queue.name, state }, queue.counts[state]);
          }
          if (result.cursor === null) break;
          cursor = result.cursor;
        }
      } catch (err) {
        options.onScrapeError(err);
      }
    },
  });

  new Gauge({
    name: 'docket_lease_waiters',
    help: 'long-poll lease calls parked on this server now, waiting for a job',
    registers,
    collect() {
      this.set(engine.parkedLeases());
    },
  });

  const http = new Histogram({
    name: 'docket_http_request_duration_seconds',
    help: 'HTTP request duration, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: HTTP_BUCKETS,
    registers,
  });

  const authFailures = new Counter({
    name: 'docket_auth_failures_total',
    help: 'failed authentications, by reason (missing, malformed, unknown, expired, rate_limited)',
    labelNames: ['reason'],
    registers,
  });

  const unsubscribe = subscribeJobCounters(
    engine.events,
    (name, help, labelNames) => new Counter({ name, help, labelNames, registers }),
  );

  return {
    registry,
    observeRequest(method, route, statusCode, seconds) {
      http.observe({ method, route, status_code: statusCode }, seconds);
    },
    authFailed(reason) {
      authFailures.inc({ reason });
    },
    close() {
      unsubscribe();
    },
  };
}
