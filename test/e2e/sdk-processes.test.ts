/**
 * The SDK across processes against a real `docket serve`: enqueue-and-wait answered by a worker
 * in another process, a finished job's result readable after a server restart, and the README's
 * producer-worker example run as users run it.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '@docket/client';
import { killAllScripts, startScript } from '../support/script-process.ts';
import { serverPerFile } from '../support/server-per-file.ts';

const WORKER = new URL('./fixtures/sdk-worker.ts', import.meta.url).pathname;
const EXAMPLE = new URL('../../examples/producer-worker.ts', import.meta.url).pathname;

const served = serverPerFile({ alsoAfter: killAllScripts });

describe('the SDK across processes', () => {
  it('enqueueAndWait returns the result of a worker in another process', async () => {
    const worker = startScript(WORKER, { DOCKET_URL: served.server.url, QUEUE: 'sdk-double', MODE: 'double' });
    await worker.waitForLine((line) => line === 'ready');
    const queue = createClient({ url: served.server.url }).queue<{ n: number }, { doubled: number; pid: number }>(
      'sdk-double',
    );
    const { job, result } = await queue.enqueueAndWait({ n: 21 }, { waitMs: 20_000 });
    expect(result).toEqual({ doubled: 42, pid: worker.pid });
    expect(job.worker).toMatch(/^worker-/);
    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it("keeps a finished job's result readable after the server restarts", async () => {
    const client = createClient({ url: served.server.url });
    const queue = client.queue<string, { ok: boolean }>('sdk-restart');
    const { job } = await queue.enqueue('remember me');
    const [leased] = await client.transport.lease({ queues: ['sdk-restart'] });
    expect(leased?.id).toBe(job.id);
    await client.transport.ack(job.id, { token: leased?.leaseToken ?? '', result: { ok: true } });
    await served.restart();
    expect(await queue.get(job.id)).toMatchObject({ state: 'completed', result: { ok: true } });
  });

  it('runs the producer-worker example against a running server', async () => {
    const example = startScript(EXAMPLE, { DOCKET_URL: served.server.url });
    const exit = await example.exited;
    expect(exit, example.output()).toEqual({ code: 0, signal: null });
    expect(example.lines).toContain('sending "hi" to a@example.com');
    expect(example.lines).toContain('result: { sent: true }');
  });
});
