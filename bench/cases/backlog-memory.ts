/**
 * Server memory with a large backlog (the product brief's target: 1 000 000 waiting jobs held
 * with server memory under 200 MB). Enqueues `jobs` jobs in batches of 100 (untimed), waits for
 * the server to settle, then reads the server process's resident set from /proc: VmRSS now and
 * VmHWM, the most it held at any moment of the run (the enqueue burst included).
 *
 * `measureBacklogMemory(url, pid, options)` runs against a given server (bench/http.ts starts a
 * fresh one); Linux only, as /proc is.
 */
import { readFile } from 'node:fs/promises';
import { prefill } from '../support/docket-drivers.ts';

export interface BacklogMemoryOptions {
  /** Jobs left waiting (default 1 000 000). */
  readonly jobs?: number;
  readonly queue?: string;
}

export interface BacklogMemory {
  readonly jobs: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
}

/** Time for the server to finish its last commits and checkpoints before memory is read. */
const SETTLE_MS = 2_000;

async function statusKb(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(kb);
}

export async function measureBacklogMemory(
  url: string,
  pid: number,
  options: BacklogMemoryOptions = {},
): Promise<BacklogMemory> {
  const jobs = options.jobs ?? 1_000_000;
  await prefill(url, options.queue ?? 'bench-backlog', jobs);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const mb = (kb: number): number => Math.round(kb / 1024);
  return { jobs, rssMb: mb(await statusKb(pid, 'VmRSS')), peakRssMb: mb(await statusKb(pid, 'VmHWM')) };
}
