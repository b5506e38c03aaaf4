/**
 * Exactly one job per tick with real server processes: a schedule keeps ticking across a
 * restart of its only server (SQLite; the ticks missed while it was down are caught up by
 * `catchUp: 'all'`), and across three servers over one Redis or one PostgreSQL, one of them
 * SIGKILLed and restarted mid-run. Every tick from the first to the last holds exactly one job:
 * no gap, no duplicate.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Job, Schedule } from '@docket/protocol';
import { BACKENDS, backendAvailable } from '../support/backends.ts';
import { ok } from '../support/docket-http.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';

const EVERY_MS = 1_000;
const WAIT_MS = 30_000;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  await killAllServers();
  for (const cleanup of cleanups) await cleanup();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function schedule(url: string, name: string): Promise<Schedule> {
  return (await ok<{ schedule: Schedule }>(url, 'GET', `/v1/schedules/${name}`)).schedule;
}

/** Waits (bounded) until the schedule has fired at least `fires` times. */
async function firedAtLeast(url: string, name: string, fires: number): Promise<Schedule> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const current = await schedule(url, name);
    if (current.fires >= fires) return current;
    if (Date.now() > deadline) throw new Error(`${name} fired ${current.fires} times, expected ${fires}`);
    await pause(50);
  }
}

async function jobsOf(url: string, queue: string): Promise<Job[]> {
  const jobs: Job[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { items: Job[]; cursor: string | null } = await ok(
      url,
      'GET',
      `/v1/queues/${queue}/jobs?limit=1000${query}`,
    );
    jobs.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== null);
  return jobs;
}

/** Every tick from the first job's to the last's has exactly one job. */
function expectOnePerTick(jobs: readonly Job[]): number {
  const ticks = jobs.map((job) => Date.parse(job.meta.scheduledAt ?? '')).sort((a, b) => a - b);
  const first = ticks[0] ?? 0;
  const expected = Array.from({ length: ticks.length }, (_, i) => first + i * EVERY_MS);
  expect(ticks).toEqual(expected);
  return ticks.length;
}

describe('a schedule across a restart of its server (SQLite)', () => {
  it('fires each tick once, and catches up the ticks missed while down', async () => {
    const dataDir = await makeDataDir('docket-schedules-');
    cleanups.push(() => removeDataDir(dataDir));
    let server: ServerProcess = await startServer({ dataDir });
    await ok(server.url, 'PUT', '/v1/schedules/beat', { queue: 'beats', everyMs: EVERY_MS, catchUp: 'all' });
    const before = await firedAtLeast(server.url, 'beat', 2);
    expect((await server.stop('SIGTERM')).code).toBe(0);
    // Down for at least two ticks: wait until the clock has passed the next two.
    const downUntil = (before.nextFireAt ?? Date.now()) + 2 * EVERY_MS;
    while (Date.now() < downUntil) await pause(downUntil - Date.now());
    server = await startServer({ dataDir, port: server.port });
    const after = await firedAtLeast(server.url, 'beat', before.fires + 4);
    const count = expectOnePerTick(await jobsOf(server.url, 'beats'));
    expect(count).toBeGreaterThanOrEqual(after.fires);
    expect((await server.stop('SIGTERM')).code).toBe(0);
  });
});

for (const backend of BACKENDS) {
  const up = await backendAvailable(backend);
  describe.skipIf(!up)(`three servers over one ${backend.name}`, () => {
    it('enqueue exactly one job per tick, through a SIGKILL and restart of one of them', async () => {
      const namespace = backend.namespace();
      const storeUrl = backend.storeUrl(namespace);
      const dataDirs = await Promise.all([0, 1, 2].map(() => makeDataDir('docket-schedules-multi-')));
      cleanups.push(async () => {
        await backend.drop(namespace);
        await Promise.all(dataDirs.map(removeDataDir));
      });
      const nodes: ServerProcess[] = [];
      for (const dataDir of dataDirs) nodes.push(await startServer({ dataDir, args: ['--store', storeUrl] }));
      const [first, second] = nodes as [ServerProcess, ServerProcess, ServerProcess];
      for (const name of ['a', 'b', 'c']) {
        await ok(first.url, 'PUT', `/v1/schedules/${name}`, {
          queue: `ticks-${name}`,
          everyMs: EVERY_MS,
          catchUp: 'all',
        });
      }
      await firedAtLeast(second.url, 'a', 3);
      await first.stop('SIGKILL');
      nodes[0] = await startServer({ dataDir: dataDirs[0] ?? '', port: first.port, args: ['--store', storeUrl] });
      const fires = (await firedAtLeast(second.url, 'a', 7)).fires;
      for (const name of ['a', 'b', 'c']) {
        await ok(second.url, 'POST', `/v1/schedules/${name}/pause`);
        const count = expectOnePerTick(await jobsOf(second.url, `ticks-${name}`));
        expect(count).toBeGreaterThanOrEqual(name === 'a' ? fires : 3);
        expect(count).toBe((await schedule(second.url, name)).fires);
      }
      for (const node of nodes) await node.stop('SIGTERM');
    });
  });
}
