/**
 * Builders for the inputs the cases hand a store: NewJob objects with the engine's defaults,
 * fresh lease tokens, job errors, and the fixed start of the manual timeline every case uses.
 */
import { randomUUID } from 'node:crypto';
import type { BackoffPolicy, JobError } from '@docket/protocol';
import type { NewJob } from '@docket/core';

/** The start of every case's timeline; cases add to it and never read the wall clock. */
export const T0 = 1_700_000_000_000;

/** The queue cases use when the queue itself is not the subject. */
export const QUEUE = 'conformance';

export const DEFAULT_LEASE_MS = 30_000;

export const DEFAULT_BACKOFF: BackoffPolicy = {
  type: 'exponential',
  initialMs: 1000,
  maxMs: 3_600_000,
  factor: 2,
  jitter: 0.2,
};

/** Fields of a NewJob to set; `now` sets createdAt and runAt together (an explicit one still wins). */
export type JobOverrides = Partial<NewJob> & { readonly now?: number };

let counter = 0;

/**
 * A builder of waiting jobs with unique ids and payloads and the engine's defaults; `defaults`
 * replace those, and each call's overrides win over both. Store packages' own tests use this with
 * their own queue and timeline.
 */
export function jobFactory(defaults: JobOverrides = {}): (overrides?: JobOverrides) => NewJob {
  return (overrides = {}) => {
    const { now = T0, ...rest } = { ...defaults, ...overrides };
    counter += 1;
    return {
      id: `job-${counter}-${randomUUID()}`,
      queue: QUEUE,
      name: null,
      state: 'waiting',
      encoding: 'json',
      data: { n: counter },
      priority: 0,
      createdAt: now,
      runAt: now,
      expiresAt: null,
      maxAttempts: 5,
      backoff: DEFAULT_BACKOFF,
      leaseMs: DEFAULT_LEASE_MS,
      timeoutMs: null,
      dedupKey: null,
      dedupUntil: null,
      meta: {},
      ...rest,
    };
  };
}

/** A waiting job ready at `T0` in QUEUE, with unique id and payload; `overrides` win. */
export const newJob = jobFactory();

/** A job enqueued at `T0` that becomes due at `runAt`. */
export function delayedJob(runAt: number, overrides: Partial<NewJob> = {}): NewJob {
  return newJob({ state: 'delayed', runAt, ...overrides });
}

/** `count` fresh, unique lease tokens. */
export function freshTokens(count: number): string[] {
  return Array.from({ length: count }, () => `lease-${randomUUID()}`);
}

/** An error as a consumer reports it. */
export function jobError(message: string, at: number, attempt: number): JobError {
  return { message, stack: `Error: ${message}\n    at handler (worker.ts:1:1)`, at, attempt };
}
