/**
 * Store CPU per leased and acked job (issue 16), for A/B runs on a loaded machine: the loop of
 * bench/cases/groups.ts (100 000 jobs, 4 loops leasing 50 and acking them in one batch), plain
 * queue and 10 000 FIFO groups, timing the process's CPU during the drain only.
 *
 * Usage: `npx tsx bench/group-cpu.ts` (JOBS=…; ONLY_GROUPED=1 skips the plain run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewJob, Store } from '@docket/core';
import { newLeaseTokens, ulidFactory } from '@docket/core/internal';
import { createSqliteStore } from '@docket/store-sqlite';

const JOBS = Number(process.env.JOBS ?? 100_000);
const GROUPS = 10_000;
const nextId = ulidFactory();
function newJob(queue: string, now: number, group: string | null): NewJob {
  return {
    id: nextId(now),
    queue,
    name: null,
    state: 'waiting',
    encoding: 'json',
    data: { n: 1, padding: 'x'.repeat(80) },
    priority: 0,
    createdAt: now,
    runAt: now,
    expiresAt: null,
    maxAttempts: 5,
    backoff: { type: 'exponential', initialMs: 1_000, maxMs: 3_600_000, factor: 2, jitter: 0.2 },
    leaseMs: 30_000,
    timeoutMs: null,
    dedupKey: null,
    dedupUntil: null,
    meta: {},
    ...(group === null ? {} : { group }),
  };
}
async function run(grouped: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'group-cpu-'));
  const store: Store = createSqliteStore({ path: join(dir, 'g.sqlite') });
  await store.migrate();
  const queue = grouped ? 'grouped' : 'plain';
  if (grouped) await store.queueConfigure({ queue, config: { groupConcurrency: 1 }, now: Date.now() });
  for (let s = 0; s < JOBS; s += 1000) {
    const now = Date.now();
    await store.jobEnqueueMany({
      jobs: Array.from({ length: 1000 }, (_, i) => newJob(queue, now, grouped ? `g${(s + i) % GROUPS}` : null)),
      now,
    });
  }
  let acked = 0;
  const cpu0 = process.cpuUsage();
  const loop = async (): Promise<void> => {
    while (acked < JOBS) {
      const now = Date.now();
      const jobs = await store.jobLease({
        queues: [queue],
        max: 50,
        now,
        leaseMs: null,
        worker: null,
        tokens: newLeaseTokens(50),
      });
      if (jobs.length === 0) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      await store.jobAckMany({ acks: jobs.map((job) => ({ id: job.id, token: job.leaseToken, result: null })), now });
      acked += jobs.length;
    }
  };
  await Promise.all(Array.from({ length: 4 }, loop));
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return (cpu.user + cpu.system) / JOBS;
}
const plain = process.env.ONLY_GROUPED === undefined ? await run(false) : null;
const grouped = await run(true);
const load = loadavg()[0]?.toFixed(2);
console.log(
  plain === null
    ? `CPU per lease+ack job: grouped ${grouped.toFixed(1)} µs (load ${load})`
    : `CPU per lease+ack job: plain ${plain.toFixed(1)} µs, grouped ${grouped.toFixed(1)} µs, ` +
        `plain/grouped ${(plain / grouped).toFixed(2)} (load ${load})`,
);
