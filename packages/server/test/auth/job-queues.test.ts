/**
 * The job queues that authorize calls naming jobs by id (auth/job-queues.ts), over a real engine
 * on a SQLite file: a call presenting a lease this server handed out is authorized without a
 * read and with the same decision (a pattern grant on another queue is still refused); an id
 * without a lease, or with a lease not seen here or of another job, is read; a missing job is left
 * to its operation's 404; past the bound the oldest lease is forgotten first; a lease is forgotten
 * once the engine announces its end (ack, nack, a failed attempt, delete), an extend keeps it, and a
 * job leased again is remembered under its new lease only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createEngine, type Engine } from '@docket/core';
import { ForbiddenError } from '@docket/protocol';
import { createSqliteStore } from '@docket/store-sqlite';
import { authorizeJobs } from '../../src/auth/access.ts';
import { JobQueues } from '../../src/auth/job-queues.ts';
import type { Principal } from '../../src/auth/principal.ts';

const MAILER: Principal = { id: 't', name: 'mailer', grants: [{ action: 'consume', pattern: 'emails*' }] };

describe('job queues for authorization', () => {
  let dir: string;
  let engine: Engine;
  let reads: string[];
  let counted: Pick<Engine, 'get' | 'events'>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docket-job-queues-'));
    const store = createSqliteStore({ path: join(dir, 'docket.sqlite') });
    await store.migrate();
    engine = createEngine({ store });
    reads = [];
    counted = {
      events: engine.events,
      get: (id) => {
        reads.push(id);
        return engine.get(id);
      },
    };
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function leaseOne(queue: string): Promise<{ id: string; lease: string }> {
    await engine.enqueueMany(queue, [{ data: queue }]);
    const [job] = await engine.lease({ queues: [queue], max: 1 });
    if (job === undefined) throw new Error(`expected a job in ${queue}`);
    return { id: job.id, lease: job.leaseToken };
  }

  test('a lease handed out here is authorized without a read, with the same decision', async () => {
    const jobs = new JobQueues(counted);
    expect(jobs.queuesOf([])).toEqual([]);
    const email = await leaseOne('emails-eu');
    const bill = await leaseOne('billing');

    expect(authorizeJobs(jobs, MAILER, 'consume', [email])).toBeUndefined();
    expect(() => authorizeJobs(jobs, MAILER, 'consume', [bill])).toThrow(ForbiddenError);
    expect(() => authorizeJobs(jobs, MAILER, 'consume', [email, bill])).toThrow(/may not consume on queue billing/);
    expect(reads).toEqual([]);
  });

  test('an id without a lease, or with a lease of another job or not seen here, is read every time', async () => {
    const jobs = new JobQueues(counted);
    jobs.queuesOf([]);
    const email = await leaseOne('emails');
    const bill = await leaseOne('billing');

    await authorizeJobs(jobs, MAILER, 'consume', [{ id: email.id, lease: undefined }]);
    await authorizeJobs(jobs, MAILER, 'consume', [{ id: email.id, lease: undefined }]);
    expect(reads).toEqual([email.id, email.id]);
    await expect(authorizeJobs(jobs, MAILER, 'consume', [{ id: bill.id, lease: email.lease }])).rejects.toThrow(
      ForbiddenError,
    );
    await authorizeJobs(jobs, MAILER, 'consume', [{ id: email.id, lease: 'not-a-lease-seen-here' }]);
    expect(reads).toEqual([email.id, email.id, bill.id, email.id]);

    const missing = { id: '01JNSXCHJ0B00000000000000Z', lease: undefined };
    await expect(jobs.queuesOf([missing])).resolves.toEqual([]);
    await expect(authorizeJobs(jobs, MAILER, 'consume', [missing])).resolves.toBeUndefined();
  });

  test('leases made before the first look-up and past the bound are read; a grant on every queue reads nothing', async () => {
    const jobs = new JobQueues(counted, 2);
    const early = await leaseOne('emails');
    await expect(jobs.queuesOf([early])).resolves.toEqual(['emails']);
    expect(reads).toEqual([early.id]);

    const oldest = await leaseOne('emails');
    const second = await leaseOne('emails');
    const newest = await leaseOne('emails');
    expect(jobs.queuesOf([second, newest])).toEqual(['emails', 'emails']);
    await expect(jobs.queuesOf([oldest])).resolves.toEqual(['emails']);
    expect(reads).toEqual([early.id, oldest.id]);

    const everything: Principal = { id: 'a', name: 'all', grants: [{ action: 'consume', pattern: '*' }] };
    expect(
      authorizeJobs(new JobQueues(counted), everything, 'consume', [{ id: early.id, lease: undefined }]),
    ).toBeUndefined();
    expect(reads).toEqual([early.id, oldest.id]);
  });

  test('a lease is forgotten once the engine says it ended, however it ended; an extend keeps it', async () => {
    const jobs = new JobQueues(counted);
    jobs.queuesOf([]);
    const kept = await leaseOne('emails');
    const acked = await leaseOne('emails');
    const nacked = await leaseOne('emails');
    const failed = await leaseOne('emails');
    const deleted = await leaseOne('emails');
    const all = [kept, acked, nacked, failed, deleted];
    expect(jobs.queuesOf(all)).toEqual(all.map(() => 'emails'));

    await engine.extend(kept.id, { token: kept.lease, leaseMs: 60_000 });
    await engine.ack(acked.id, { token: acked.lease });
    await engine.nack(nacked.id, { token: nacked.lease, placement: 'front' });
    await engine.nack(failed.id, { token: failed.lease, error: { message: 'boom' } });
    await engine.delete(deleted.id);
    expect(reads).toEqual([]);

    expect(authorizeJobs(jobs, MAILER, 'consume', [kept])).toBeUndefined();
    expect(reads).toEqual([]);
    for (const ended of [acked, nacked, failed]) {
      await expect(authorizeJobs(jobs, MAILER, 'consume', [ended])).resolves.toBeUndefined();
    }
    await expect(jobs.queuesOf([deleted])).resolves.toEqual([]);
    expect(reads).toEqual([acked.id, nacked.id, failed.id, deleted.id]);
  });

  test('a job leased again is remembered under its new lease only', async () => {
    const jobs = new JobQueues(counted);
    jobs.queuesOf([]);
    const first = await leaseOne('emails');
    await engine.nack(first.id, { token: first.lease, placement: 'front' });
    const [again] = await engine.lease({ queues: ['emails'], max: 1 });
    if (again === undefined) throw new Error('expected the job back');
    expect(again.id).toBe(first.id);

    expect(jobs.queuesOf([{ id: again.id, lease: again.leaseToken }])).toEqual(['emails']);
    await expect(jobs.queuesOf([first])).resolves.toEqual(['emails']);
    expect(reads).toEqual([first.id]);
  });
});
