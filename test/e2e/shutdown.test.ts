/**
 * Graceful shutdown of a real `docket serve` under load: SIGTERM while producers enqueue and a
 * consumer long-polls. The process must exit 0 within its shutdown timeout, the long-poll must
 * be released, and every enqueue that got a 2xx must be there after a restart.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { call, listJobIds } from '../support/docket-http.ts';
import { killAllServers, makeDataDir, removeDataDir, startServer } from '../support/server-process.ts';

const PRODUCERS = 4;
const SHUTDOWN_TIMEOUT_MS = 10_000;
/** Acknowledged enqueues to wait for before the signal, so the shutdown happens under load. */
const ACKED_BEFORE_SIGNAL = 300;
const QUEUE = 'shutdown-load';

const dirs: string[] = [];

afterAll(async () => {
  await killAllServers();
  await Promise.all(dirs.map(removeDataDir));
});

interface Producers {
  readonly acked: string[];
  readonly stop: () => Promise<void>;
}

/** Producers enqueue until stopped; only 2xx answers count as acknowledged. */
function startProducers(url: string): Producers {
  const acked: string[] = [];
  let running = true;
  const loops = Array.from({ length: PRODUCERS }, async (_, p) => {
    for (let seq = 0; running && seq < 1_000_000; seq += 1) {
      const reply = await call<{ job: { id: string } }>(
        url,
        'POST',
        `/v1/queues/${QUEUE}/jobs`,
        { data: `p${p}:${seq}` },
        5000,
      ).catch(() => undefined);
      if (reply !== undefined && reply.status >= 200 && reply.status < 300) acked.push(reply.body.job.id);
      else if (reply === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  return {
    acked,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('graceful shutdown', () => {
  it('exits 0 on SIGTERM under load, releases long-polls, and keeps every acknowledged enqueue', async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    const args = ['--shutdown-timeout', `${SHUTDOWN_TIMEOUT_MS}ms`];
    const server = await startServer({ dataDir, args });
    const producers = startProducers(server.url);
    const longPoll = call<{ jobs: unknown[] }>(
      server.url,
      'POST',
      '/v1/lease',
      { queues: ['shutdown-idle'], waitMs: 60_000 },
      70_000,
    );
    await until(() => producers.acked.length >= ACKED_BEFORE_SIGNAL, 20_000);

    const signalled = performance.now();
    const exit = await server.stop('SIGTERM');
    const shutdownMs = performance.now() - signalled;
    const released = await longPoll.catch((err: unknown) => err);
    await producers.stop();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(released).toMatchObject({ status: 200, body: { jobs: [] } });

    const restarted = await startServer({ dataDir, port: server.port });
    const stored = await listJobIds(restarted.url, QUEUE);
    const missing = producers.acked.filter((id) => !stored.has(id));
    expect(producers.acked.length).toBeGreaterThanOrEqual(ACKED_BEFORE_SIGNAL);
    expect(missing).toEqual([]);
    expect((await restarted.stop('SIGTERM')).code).toBe(0);
  });
});
