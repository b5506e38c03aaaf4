/**
 * emq's task settings as engine job options. emq's `retry` (seconds) is the dispatch deadline,
 * Docket's lease length; `expiry` (seconds) is the job's time to live. emq has no attempt limit
 * and makes a task whose deadline passed available again at once, so emq tasks get the largest
 * attempt limit and no backoff. Values outside the engine's bounds are clamped, not refused,
 * so every request emq accepted is accepted here (docs/doors/emq.md lists the bounds).
 */
import { limits, type JsonValue } from '@docket/protocol';
import type { EnqueueInput } from '@docket/core';
import type { Decoded, RequestShape } from './decode.ts';

export const TASK_CONFIG: RequestShape = {
  type: 'TaskConfig',
  fields: { content: 'any', retry: 'uint32', expiry: 'uint32' },
};

/** emq's defaults: a 5-minute dispatch deadline and a 1-day life. */
export const RETRY_SECONDS_DEFAULT = 300;
export const EXPIRY_SECONDS_DEFAULT = 86_400;

/** A failed dispatch is retried at once, at the back of the queue, as emq does. */
const NO_BACKOFF = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function seconds(value: JsonValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

export function taskInput(task: Decoded): EnqueueInput {
  const retry = seconds(task['retry'], RETRY_SECONDS_DEFAULT);
  const expiry = seconds(task['expiry'], EXPIRY_SECONDS_DEFAULT);
  return {
    data: task['content'] ?? null,
    leaseMs: clamp(retry * 1000, limits.MIN_LEASE_MS, limits.MAX_LEASE_MS),
    ttlMs: clamp(expiry * 1000, 1, limits.MAX_DELAY_MS),
    maxAttempts: limits.MAX_ATTEMPTS_LIMIT,
    backoff: NO_BACKOFF,
  };
}
