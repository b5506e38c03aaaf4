/** Plain `/v1` calls the browser tests make to set up data and check what the dashboard did. */
export async function v1<T = unknown>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

export interface LeasedJob {
  readonly id: string;
  readonly leaseToken: string;
}

/** Enqueues a job that fails for good: leased, then nacked with `fail`. */
export async function makeDeadJob(base: string, queue: string, message: string): Promise<string> {
  await v1(base, 'POST', `/v1/queues/${queue}/jobs`, { data: { dead: message } });
  const { jobs } = await v1<{ jobs: LeasedJob[] }>(base, 'POST', '/v1/lease', {
    queues: [queue],
    max: 1,
    worker: 'test-worker',
  });
  const job = jobs[0];
  if (job === undefined) throw new Error('nothing to lease');
  await v1(base, 'POST', `/v1/jobs/${job.id}/nack`, {
    lease: job.leaseToken,
    retry: false,
    error: { message, stack: `Error: ${message}\n    at handler (worker.js:1:1)` },
  });
  return job.id;
}
