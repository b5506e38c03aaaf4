/**
 * A4, disk full: a real `docket serve` (SQLite) on a small tmpfs that a ballast file fills up.
 * While the disk is full, writes are refused with 507 STORAGE_FULL (never a 2xx that was not
 * stored) and reads still answer; once space is freed the same process takes writes again, with no
 * restart. A SIGTERM while the disk is full stops the server cleanly: exit 0, and every job that
 * got a 2xx is there after a restart (docs/reliability.md).
 *
 * Needs root (it mounts the tmpfs). Without root the test fails under CI and is skipped with the
 * reason printed elsewhere. DOCKET_DISK_FULL_ROUNDS (default 2) sets how many fill-and-free rounds run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, type ErrorBody } from '../support/docket-http.ts';
import { killAllServers, startServer, type ServerProcess } from '../support/server-process.ts';

const run = promisify(execFile);
const ROUNDS = Number(process.env['DOCKET_DISK_FULL_ROUNDS'] ?? 2);
const FS_BYTES = 24 * 1024 * 1024;
/** Each job carries this much, so the disk fills in a few dozen requests. */
const PAYLOAD = 'x'.repeat(256 * 1024);
const QUEUE = 'disk-full';
const REQUEST_TIMEOUT_MS = 10_000;

const isRoot = process.getuid?.() === 0;
const reason = 'the disk-full probe mounts a tmpfs and needs root';
if (!isRoot && process.env['CI'] === 'true') throw new Error(`${reason} (CI=true)`);
if (!isRoot) console.warn(`skipped: ${reason}`);

let mount = '';
let mounted = false;

beforeAll(async () => {
  if (!isRoot) return;
  mount = await mkdtemp(join(tmpdir(), 'docket-disk-full-'));
  await run('mount', ['-t', 'tmpfs', '-o', `size=${FS_BYTES}`, 'tmpfs', mount]);
  mounted = true;
});

afterAll(async () => {
  await killAllServers();
  if (mounted) await run('umount', [mount]);
  if (mount !== '') await rmdir(mount);
});

/** Writes a file until the filesystem has no space left; returns its path. */
async function fillDisk(name: string): Promise<string> {
  const path = join(mount, name);
  const file = await open(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) await file.write(chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await file.close();
  }
  return path;
}

interface Enqueued {
  readonly status: number;
  readonly id?: string;
  readonly code?: string;
  readonly ms: number;
}

async function enqueue(server: ServerProcess, n: number): Promise<Enqueued> {
  const started = performance.now();
  const reply = await call<{ job: { id: string } } & ErrorBody>(
    server.url,
    'POST',
    `/v1/queues/${QUEUE}/jobs`,
    { data: { n, pad: PAYLOAD } },
    REQUEST_TIMEOUT_MS,
  );
  const ms = performance.now() - started;
  if (reply.status === 201) return { status: 201, id: reply.body.job.id, ms };
  return { status: reply.status, code: reply.body.error.code, ms };
}

test.skipIf(!isRoot)(
  'a full disk: 507 STORAGE_FULL, no false 2xx, recovery without restart, and a clean stop',
  async () => {
    const dataDir = join(mount, 'data');
    const server = await startServer({ dataDir, args: ['--shutdown-timeout', '20s'] });
    const acked: string[] = [];
    const fullMs: number[] = [];
    let n = 0;
    for (; n < 3; n += 1) {
      const answer = await enqueue(server, n);
      expect(answer.status).toBe(201);
      if (answer.id !== undefined) acked.push(answer.id);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      const ballast = await fillDisk(`ballast-${round}`);
      // The disk is full: every write is refused with 507 and changes nothing.
      let refused = 0;
      while (refused < 5) {
        const answer = await enqueue(server, (n += 1));
        if (answer.status === 201 && answer.id !== undefined) acked.push(answer.id);
        else {
          expect(answer).toMatchObject({ status: 507, code: 'STORAGE_FULL' });
          fullMs.push(answer.ms);
          refused += 1;
        }
      }
      // Reads still answer while the disk is full.
      expect((await call(server.url, 'GET', `/v1/queues/${QUEUE}`)).status).toBe(200);
      // Space comes back: the same process takes writes again.
      await rm(ballast);
      const after = await enqueue(server, (n += 1));
      expect(after.status).toBe(201);
      if (after.id !== undefined) acked.push(after.id);
    }

    // A SIGTERM while the disk is full: a clean stop.
    await fillDisk('ballast-stop');
    expect((await enqueue(server, (n += 1))).status).toBe(507);
    const exit = await server.stop('SIGTERM');
    expect(exit, server.output()).toEqual({ code: 0, signal: null });

    await rm(join(mount, 'ballast-stop'));
    const restarted = await startServer({ dataDir, port: server.port });
    for (const id of acked) expect((await call(restarted.url, 'GET', `/v1/jobs/${id}`)).status).toBe(200);
    // ... and nothing that was refused: the queue holds exactly the acknowledged jobs.
    const queue = await call<{ queue: { counts: { waiting: number } } }>(restarted.url, 'GET', `/v1/queues/${QUEUE}`);
    expect(queue.body.queue.counts.waiting).toBe(acked.length);
    expect((await restarted.stop('SIGTERM')).code).toBe(0);
    fullMs.sort((a, b) => a - b);
    console.log(
      `disk full: ${acked.length} jobs acknowledged and found after restart, ${fullMs.length} × 507, ` +
        `507 latency p50 ${fullMs[Math.floor(fullMs.length / 2)]?.toFixed(1)} ms, max ${fullMs.at(-1)?.toFixed(1)} ms`,
    );
  },
  120_000,
);
