/** `docket lease <q>`: lease jobs once and print them (with `--ack`, acknowledge them at once). */
import type { LeasedJob } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, durationFlag, integerFlag, type ClientFlags } from '../client-options.ts';
import { CliError } from '../errors.ts';
import type { AdminClient } from '../http-client.ts';
import { note, printData } from '../output.ts';
import { JOB_COLUMNS, jobRow } from '../rows.ts';

interface LeaseFlags extends ClientFlags {
  readonly max: string;
  readonly wait: string;
  readonly lease?: string;
  readonly worker?: string;
  readonly ack?: boolean;
}

interface BatchResult {
  readonly id: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** One batch ack for all the leased jobs; any item that failed makes the command fail. */
async function ackAll(client: AdminClient, jobs: readonly LeasedJob[]): Promise<void> {
  const items = jobs.map((job) => ({ id: job.id, lease: job.leaseToken }));
  const { results } = await client.request<{ results: BatchResult[] }>('POST', '/v1/jobs/ack', { body: { items } });
  const failed = results.filter((result) => result.error !== undefined);
  if (failed.length > 0) {
    const first = failed[0];
    throw new CliError(
      `${failed.length} of ${jobs.length} acks failed; first: job ${first?.id ?? '?'}: ${first?.error?.code ?? ''} ${first?.error?.message ?? ''}`,
    );
  }
}

async function lease(queues: readonly string[], flags: LeaseFlags): Promise<void> {
  const client = clientFrom(flags);
  const waitMs = durationFlag('wait', flags.wait) ?? 0;
  const body = {
    queues,
    max: integerFlag('max', flags.max, 1, 1000),
    waitMs,
    leaseMs: durationFlag('lease', flags.lease),
    worker: flags.worker,
  };
  const { jobs } = await client.request<{ jobs: LeasedJob[] }>('POST', '/v1/lease', { body, waitMs });
  const acked = flags.ack === true && jobs.length > 0;
  if (acked) await ackAll(client, jobs);
  const rows = () => jobs.map((job) => ({ ...jobRow(job), lease: job.leaseToken }));
  printData(flags.json === true, { jobs, acked }, rows, [...JOB_COLUMNS, 'lease']);
  if (flags.json !== true && acked) note(`acked ${jobs.length}`);
}

export function registerLease(program: Command): void {
  addClientOptions(
    program
      .command('lease <queues...>')
      .description('lease jobs once (one-shot consumer) and print them with their lease tokens')
      .option('--max <n>', 'up to this many jobs (1-1000)', '1')
      .option('--wait <duration>', 'long-poll up to this long when no job is ready', '0s')
      .option('--lease <duration>', "lease length, overriding the jobs' own")
      .option('--worker <id>', 'worker id for the registry')
      .option('--ack', 'acknowledge the leased jobs right away (drain or discard)')
      .addHelpText(
        'after',
        '\nExamples:\n  docket lease emails\n  docket lease emails --max 10 --wait 20s --ack --json\n  docket lease emails sms --lease 5m',
      ),
  ).action((queues: string[], flags: LeaseFlags) => lease(queues, flags));
}
