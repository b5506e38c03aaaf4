/**
 * Producer and consumer processes for history-based reliability tests. Each records every
 * operation in a HistoryRecorder with an honest outcome:
 * - ok: a 2xx;
 * - fail: a documented error answered before any write (400, 404, 409, 413, 415, 429, 507; for
 *   batch items LEASE_MISMATCH, JOB_EXPIRED, JOB_FINISHED, JOB_NOT_FOUND);
 * - info: anything else — connection refused or reset, timeouts, 5xx (the 503 of a closing
 *   server included). The operation may or may not have happened.
 *
 * Producers retry a value after `info` with the same dedupKey, so their retries cannot
 * duplicate; loops stop when told to, and every loop is bounded in count.
 */
import { performance } from 'node:perf_hooks';
import type { LeasedJob } from '@docket/protocol';
import type { HistoryRecorder, LeasedRecord } from '../../support/history.ts';

const DOCUMENTED_BEFORE_WRITE = new Set([400, 404, 409, 413, 415, 429, 507]);
const DOCUMENTED_ITEM_CODES = new Set(['LEASE_MISMATCH', 'JOB_EXPIRED', 'JOB_FINISHED', 'JOB_NOT_FOUND']);
/** Pause after a connection error, so a loop does not spin while the server restarts. */
const RETRY_PAUSE_MS = 20;
/** Request timeout on top of any long-poll wait: a hung request becomes `info`. */
const REQUEST_SLACK_MS = 5_000;

export type Outcome = 'ok' | 'fail' | 'info';

export function classifyStatus(status: number | undefined): Outcome {
  if (status === undefined) return 'info';
  if (status >= 200 && status < 300) return 'ok';
  return DOCUMENTED_BEFORE_WRITE.has(status) ? 'fail' : 'info';
}

interface Answer {
  readonly status: number | undefined;
  readonly body: unknown;
  readonly error?: string;
}

async function post(url: string, path: string, body: unknown, timeoutMs: number): Promise<Answer> {
  try {
    const response = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return { status: undefined, body: undefined, error: cause };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClientContext {
  readonly history: HistoryRecorder;
  /** The server's current URL (stable across restarts on the same port). */
  readonly url: () => string;
  readonly queue: string;
  readonly shouldStop: () => boolean;
}

/** Enqueues `p<i>:<seq>` values until told to stop; a value is retried until ok or fail. */
export async function runProducer(ctx: ClientContext, index: number, maxValues: number): Promise<void> {
  const p = `p${index}`;
  for (let seq = 0; seq < maxValues && !ctx.shouldStop(); seq += 1) {
    const value = `${p}:${seq}`;
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      ctx.history.record(p, 'invoke', { f: 'enqueue', value });
      const answer = await post(
        ctx.url(),
        `/v1/queues/${ctx.queue}/jobs`,
        { data: value, dedupKey: value },
        REQUEST_SLACK_MS,
      );
      const outcome = classifyStatus(answer.status);
      ctx.history.record(p, outcome, {
        f: 'enqueue',
        value,
        ...(answer.error === undefined ? {} : { error: answer.error }),
      });
      if (outcome !== 'info') break;
      await pause(RETRY_PAUSE_MS);
    }
  }
}

/** Enqueues of producer `p<index>` acknowledged so far. */
function acknowledgedBy(history: HistoryRecorder, index: number): number {
  const p = `p${index}`;
  return history.events.filter((e) => e.p === p && e.f === 'enqueue' && e.type === 'ok').length;
}

/**
 * Resolves once each of producers `p0` … `p<producers - 1>` has `count` more acknowledged
 * enqueues than at the call, so a phase of a test ends on work done rather than on a wall-clock
 * margin (on a loaded machine 1.5 s may hold 50 enqueues or 500); throws at the deadline.
 */
export async function untilEnqueued(
  history: HistoryRecorder,
  producers: number,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const start = Array.from({ length: producers }, (_, i) => acknowledgedBy(history, i));
  const deadline = performance.now() + timeoutMs;
  const done = () => start.map((n, i) => acknowledgedBy(history, i) - n);
  while (!done().every((n) => n >= count)) {
    if (performance.now() > deadline)
      throw new Error(`not ${count} acknowledged enqueues per producer in ${timeoutMs} ms: ${done().join(', ')}`);
    await pause(50);
  }
}

function leasedRecord(job: LeasedJob, leaseMs: number): LeasedRecord {
  const applied = job.attemptStartedAt === null ? leaseMs : job.leaseExpiresAt - job.attemptStartedAt;
  const value = typeof job.data === 'string' ? job.data : JSON.stringify(job.data);
  return { value, id: job.id, token: job.leaseToken, attempt: job.attempts, leaseMs: applied };
}

interface ItemResult {
  readonly error?: { readonly code: string };
}

/** Acks a batch in one request; each item is its own operation (process `c<i>.<k>`). */
async function ackBatch(ctx: ClientContext, p: string, jobs: readonly LeasedRecord[]): Promise<void> {
  jobs.forEach((job, k) =>
    ctx.history.record(`${p}.${k}`, 'invoke', { f: 'ack', value: job.value, id: job.id, token: job.token }),
  );
  const items = jobs.map((job) => ({ id: job.id, lease: job.token }));
  const answer = await post(ctx.url(), '/v1/jobs/ack', { items }, REQUEST_SLACK_MS);
  const results =
    classifyStatus(answer.status) === 'ok' ? (answer.body as { results: ItemResult[] }).results : undefined;
  jobs.forEach((job, k) => {
    const code = results?.[k]?.error?.code;
    const outcome: Outcome =
      results === undefined ? 'info' : code === undefined ? 'ok' : DOCUMENTED_ITEM_CODES.has(code) ? 'fail' : 'info';
    ctx.history.record(`${p}.${k}`, outcome, {
      f: 'ack',
      value: job.value,
      id: job.id,
      token: job.token,
      ...(code === undefined ? {} : { error: code }),
    });
  });
}

export interface ConsumerOptions {
  readonly leaseMs: number;
  readonly waitMs: number;
  readonly maxBatch: number;
  /** Draining consumers stop after this many consecutive empty long-polls (0: never). */
  readonly stopAfterEmpty: number;
  readonly maxRounds: number;
}

/** Leases batches of 1..maxBatch (long-poll) and acks them at once, until told to stop. */
export async function runConsumer(ctx: ClientContext, name: string, options: ConsumerOptions): Promise<void> {
  let empty = 0;
  for (let round = 0; round < options.maxRounds && !ctx.shouldStop(); round += 1) {
    const max = 1 + Math.floor(Math.random() * options.maxBatch);
    ctx.history.record(name, 'invoke', { f: 'lease' });
    const body = { queues: [ctx.queue], max, waitMs: options.waitMs, leaseMs: options.leaseMs };
    const answer = await post(ctx.url(), '/v1/lease', body, options.waitMs + REQUEST_SLACK_MS);
    const outcome = classifyStatus(answer.status);
    const leased =
      outcome === 'ok'
        ? (answer.body as { jobs: LeasedJob[] }).jobs.map((job) => leasedRecord(job, options.leaseMs))
        : [];
    ctx.history.record(name, outcome, {
      f: 'lease',
      jobs: leased,
      ...(answer.error === undefined ? {} : { error: answer.error }),
    });
    if (outcome !== 'ok') {
      await pause(RETRY_PAUSE_MS);
      continue;
    }
    if (leased.length > 0) await ackBatch(ctx, name, leased);
    empty = leased.length === 0 ? empty + 1 : 0;
    if (options.stopAfterEmpty > 0 && empty >= options.stopAfterEmpty) return;
  }
}
