/**
 * An SDK worker process SIGKILLed while its handlers run: its jobs come back once their leases
 * run out and another worker finishes them; nothing is lost and nothing finishes twice.
 */
import { describe, expect, it } from 'vitest';
import { createClient, createWorker, type JobOf } from '@docket/client';
import { killAllScripts, startScript } from '../support/script-process.ts';
import { serverPerFile } from '../support/server-per-file.ts';

const WORKER = new URL('./fixtures/sdk-worker.ts', import.meta.url).pathname;
const JOBS = 6;
const CONCURRENCY = 4;
/** Short, so the killed worker's leases run out within the test; long enough to be held while it runs. */
const LEASE_MS = 1_000;
/** Retry a reaped job at once: the test is about redelivery, not backoff. */
const NO_BACKOFF = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 } as const;

const served = serverPerFile({ alsoAfter: killAllScripts });

describe('an SDK worker killed mid-jobs', () => {
  it('gets its jobs delivered again after their leases, and none is lost', async () => {
    const client = createClient({ url: served.server.url });
    const queue = client.queue<{ n: number }>('sdk-crash');
    const enqueued = await queue.enqueueMany(
      Array.from({ length: JOBS }, (_, n) => ({ data: { n }, backoff: NO_BACKOFF })),
    );
    const ids = enqueued.map(({ job }) => job.id);

    const doomed = startScript(WORKER, {
      DOCKET_URL: served.server.url,
      QUEUE: 'sdk-crash',
      MODE: 'hang',
      CONCURRENCY: String(CONCURRENCY),
      LEASE_MS: String(LEASE_MS),
    });
    const started = new Set<string>();
    await doomed.waitForLine(() => {
      for (const line of doomed.lines) if (line.startsWith('started ')) started.add(line.slice('started '.length));
      return started.size === CONCURRENCY;
    });
    const exit = await doomed.stop('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const killedAt = Date.now();

    const finished = new Map<string, JobOf<{ n: number }, string>>();
    const rescuer = createWorker<{ n: number }, string>({
      client,
      queues: ['sdk-crash'],
      concurrency: 10,
      handler: () => 'rescued',
    });
    const allDone = new Promise<void>((resolve) =>
      rescuer.on('completed', (job) => {
        finished.set(job.id, job);
        if (finished.size === JOBS) resolve();
      }),
    );
    await allDone;
    await rescuer.close();

    expect([...finished.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const job = await client.getJob(id);
      expect(job).toMatchObject({ state: 'completed', result: 'rescued' });
      if (started.has(id)) {
        expect(job.attempts).toBe(2);
        expect(job.attemptStartedAt).toBeGreaterThanOrEqual(killedAt - 50);
      } else {
        expect(job.attempts).toBe(1);
      }
    }
    expect((await queue.stats()).counts).toMatchObject({ waiting: 0, delayed: 0, active: 0, dead: 0, completed: JOBS });
  });
});
