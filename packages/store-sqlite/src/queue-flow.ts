/**
 * Flow control in the SQLite store: the limits a queue row's config sets, read in the same
 * transaction as the lease or enqueue that applies them (leases and enqueues run one at a time in
 * the commit batcher, so the counts they read cannot change under them).
 *
 * A config without `concurrency`, `rateLimit`, `maxWaiting` or `maxBytes` is recognised by a substring test,
 * without parsing, so a queue with no limit pays nothing; parsed configs are kept by their text.
 */
import { QueueFullError, type QueueConfig } from '@docket/protocol';
import {
  groupLimits,
  leaseAllowance,
  leaseThrottle,
  queueFlow,
  RateWindow,
  type GroupLimits,
  type QueueFlow,
} from '@docket/core/store-support';
import type { LeaseThrottle } from '@docket/core';
import type { StoreContext } from './store-context.ts';

const MAX_CACHED = 1_000;
const parsed = new Map<string, QueueConfig>();

function limitedConfig(text: string): QueueConfig | null {
  if (
    !text.includes('"concurrency"') &&
    !text.includes('"rateLimit"') &&
    !text.includes('"maxWaiting"') &&
    !text.includes('"maxBytes"') &&
    !groupedConfig(text)
  ) {
    return null;
  }
  let config = parsed.get(text);
  if (config === undefined) {
    if (parsed.size >= MAX_CACHED) parsed.clear();
    config = JSON.parse(text) as QueueConfig;
    parsed.set(text, config);
  }
  return config;
}

/** Whether a queue's config text sets group settings (a substring test, no parse). */
export function groupedConfig(text: string): boolean {
  return text.includes('"groupConcurrency"') || text.includes('"groupRateLimit"');
}

/** The queue's group settings, or null (not a grouped queue). */
export function leaseGroups(configText: string): GroupLimits | null {
  const config = limitedConfig(configText);
  return config === null ? null : groupLimits(config);
}

/** The lease-time limits of a queue's config text, or null (the fast path). */
export function leaseFlow(configText: string): QueueFlow | null {
  const config = limitedConfig(configText);
  return config === null ? null : queueFlow(config);
}

/** What a lease may take from one limited queue, and how to record what it took. */
export interface QueueAllowance {
  readonly allowed: number;
  /** Records `claimed` jobs in the rate window; returns the queue's throttle after the claim. */
  readonly settle: (claimed: number) => LeaseThrottle | null;
}

export function queueAllowance(
  ctx: StoreContext,
  queue: string,
  flow: QueueFlow,
  max: number,
  now: number,
): QueueAllowance {
  const active = flow.concurrency === null ? 0 : (ctx.q.jobCountActive.get({ queue }) as { n: number }).n;
  let window: RateWindow | null = null;
  if (flow.ratePerMs !== null) {
    const stored = ctx.q.queueWindowGet.get({ queue }) as { start: number; used: number } | undefined;
    window = new RateWindow(now, flow.ratePerMs, stored?.start ?? null, stored?.used ?? 0);
  }
  const rateWindow = window;
  return {
    allowed: leaseAllowance(flow, max, active, rateWindow),
    settle: (claimed) => {
      if (rateWindow !== null && claimed > 0) {
        ctx.q.queueWindowSet.run({ queue, start: rateWindow.start, used: rateWindow.used + claimed });
      }
      return leaseThrottle(flow, now, claimed, active, rateWindow);
    },
  };
}

/**
 * Refuses the enqueue (its op rolls back) when `queue` holds more than its `maxWaiting` jobs, or
 * more than its `maxBytes` of payload (the running total migration 0008's triggers keep), now.
 */
export function checkBacklog(ctx: StoreContext, queue: string, configText: string): void {
  const config = limitedConfig(configText);
  const maxWaiting = config?.maxWaiting;
  if (maxWaiting !== undefined) {
    const { n } = ctx.q.jobCountBacklog.get({ queue }) as { n: number };
    if (n > maxWaiting) throw new QueueFullError(queue, { maxWaiting });
  }
  const maxBytes = config?.maxBytes;
  if (maxBytes !== undefined) {
    const { bytes } = ctx.q.queueBacklogBytes.get({ queue }) as { bytes: number | null };
    if (bytes !== null && bytes > maxBytes) throw new QueueFullError(queue, { maxBytes });
  }
}
