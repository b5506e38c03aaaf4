/** `docket jobs ls <q> | get <id> | cancel <id> | delete <id>`: browse, inspect, cancel and delete jobs. */
import type { Job, Page } from '@docket/protocol';
import type { Command } from 'commander';
import { Option } from 'commander';
import { addClientOptions, clientFrom, integerFlag, type ClientFlags } from '../client-options.ts';
import { segment } from '../http-client.ts';
import { note, printData, printJson } from '../output.ts';
import { JOB_COLUMNS, JOB_STATE_NAMES, jobDetails, jobRow } from '../rows.ts';

interface ListFlags extends ClientFlags {
  readonly state?: string;
  readonly limit?: string;
  readonly cursor?: string;
}

async function list(queue: string, flags: ListFlags): Promise<void> {
  const query = { state: flags.state, limit: integerFlag('limit', flags.limit, 1, 1000) ?? 50, cursor: flags.cursor };
  const page = await clientFrom(flags).request<Page<Job>>('GET', `/v1/queues/${segment(queue)}/jobs`, { query });
  printData(flags.json === true, page, () => page.items.map(jobRow), JOB_COLUMNS);
  if (flags.json !== true && page.cursor !== null) note(`more: --cursor ${page.cursor}`);
}

async function get(id: string, flags: ClientFlags): Promise<void> {
  const { job } = await clientFrom(flags).request<{ job: Job }>('GET', `/v1/jobs/${segment(id)}`);
  printData(flags.json === true, job, () => jobDetails(job), ['field', 'value']);
}

async function cancel(id: string, flags: ClientFlags): Promise<void> {
  const { job } = await clientFrom(flags).request<{ job: Job }>('POST', `/v1/jobs/${segment(id)}/cancel`);
  if (flags.json === true) printJson(job);
  else note(`job ${id} ${job.state} (${job.deadReason ?? 'cancelled'})`);
}

async function remove(id: string, flags: ClientFlags): Promise<void> {
  await clientFrom(flags).request<unknown>('DELETE', `/v1/jobs/${segment(id)}`);
  if (flags.json === true) printJson({ deleted: id });
  else note(`job ${id} deleted`);
}

export function registerJobs(program: Command): void {
  const jobs = program
    .command('jobs')
    .description("browse a queue's jobs, show one job, cancel or delete one")
    .addHelpText(
      'after',
      '\nExamples:\n  docket jobs ls emails --state dead --limit 20\n  docket jobs get 01J0000000000000000000000\n  docket jobs cancel 01J0000000000000000000000\n  docket jobs delete 01J0000000000000000000000',
    );
  addClientOptions(jobs.command('ls <queue>').description('list jobs, oldest first (waiting jobs: a peek)'))
    .addOption(new Option('--state <state>', 'only jobs in this state').choices(JOB_STATE_NAMES))
    .option('--limit <n>', 'at most this many jobs (1-1000)', '50')
    .option('--cursor <cursor>', 'continue a previous listing')
    .action((queue: string, flags: ListFlags) => list(queue, flags));
  addClientOptions(
    jobs.command('get <id>').description('one job: state, attempts, payload, result, last error'),
  ).action((id: string, flags: ClientFlags) => get(id, flags));
  addClientOptions(jobs.command('cancel <id>').description('make an unfinished job dead (reason cancelled)')).action(
    (id: string, flags: ClientFlags) => cancel(id, flags),
  );
  addClientOptions(
    jobs.command('delete <id>').description('delete a job in any state (to stop it but keep it, cancel it)'),
  ).action((id: string, flags: ClientFlags) => remove(id, flags));
}
