/**
 * A thin client of the /v1 API for tests: global fetch (keep-alive), JSON in and out, the
 * status and body returned as they are so tests can classify outcomes themselves.
 */
import type { Job, LeasedJob } from '@docket/protocol';

export interface Reply<T> {
  readonly status: number;
  readonly body: T;
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export async function call<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<Reply<T>> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(url + path, init);
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** Like call, but throws unless the status is 2xx. */
export async function ok<T>(url: string, method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
  const reply = await call<T>(url, method, path, body, timeoutMs);
  if (reply.status < 200 || reply.status > 299)
    throw new Error(`${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export interface EnqueueJob {
  readonly data: unknown;
  readonly dedupKey?: string;
  readonly delayMs?: number;
  readonly priority?: number;
}

export function enqueue(url: string, queue: string, job: EnqueueJob): Promise<{ job: Job; created: boolean }> {
  return ok(url, 'POST', `/v1/queues/${encodeURIComponent(queue)}/jobs`, job);
}

export interface LeaseRequest {
  readonly queues: readonly string[];
  readonly max?: number;
  readonly waitMs?: number;
  readonly leaseMs?: number;
}

export async function lease(url: string, request: LeaseRequest): Promise<LeasedJob[]> {
  const { jobs } = await ok<{ jobs: LeasedJob[] }>(url, 'POST', '/v1/lease', request, (request.waitMs ?? 0) + 30_000);
  return jobs;
}

export interface BatchResult {
  readonly id: string;
  readonly job?: Job;
  readonly error?: ErrorBody['error'];
}

export async function ackMany(url: string, jobs: readonly LeasedJob[]): Promise<BatchResult[]> {
  const items = jobs.map((job) => ({ id: job.id, lease: job.leaseToken }));
  const { results } = await ok<{ results: BatchResult[] }>(url, 'POST', '/v1/jobs/ack', { items });
  return results;
}

export async function getJob(url: string, id: string, waitMs?: number): Promise<Job> {
  const query = waitMs === undefined ? '' : `?waitMs=${waitMs}`;
  const { job } = await ok<{ job: Job }>(
    url,
    'GET',
    `/v1/jobs/${encodeURIComponent(id)}${query}`,
    undefined,
    (waitMs ?? 0) + 30_000,
  );
  return job;
}

/** Every job id of a queue, page by page. */
export async function listJobIds(url: string, queue: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { items: Job[]; cursor: string | null } = await ok(
      url,
      'GET',
      `/v1/queues/${encodeURIComponent(queue)}/jobs?limit=1000${query}`,
    );
    for (const job of page.items) ids.add(job.id);
    cursor = page.cursor;
  } while (cursor !== null);
  return ids;
}
