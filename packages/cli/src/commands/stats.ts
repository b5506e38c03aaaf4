/** `docket stats [<q>]`: counts by state, for one queue or totals over all of them. */
import type { JobState, Page, QueueStats } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, type ClientFlags } from '../client-options.ts';
import { segment, type AdminClient } from '../http-client.ts';
import { printData } from '../output.ts';
import { JOB_STATE_NAMES, QUEUE_COLUMNS, queueRow } from '../rows.ts';

/** Pages through every queue; the server bounds each page. */
async function allQueues(client: AdminClient): Promise<QueueStats[]> {
  const queues: QueueStats[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<QueueStats> = await client.request('GET', '/v1/queues', { query: { limit: 1000, cursor } });
    queues.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return queues;
}

async function stats(queue: string | undefined, flags: ClientFlags): Promise<void> {
  const client = clientFrom(flags);
  if (queue !== undefined) {
    const { queue: one } = await client.request<{ queue: QueueStats }>('GET', `/v1/queues/${segment(queue)}`);
    printData(flags.json === true, one, () => [queueRow(one)], QUEUE_COLUMNS);
    return;
  }
  const queues = await allQueues(client);
  const totals = Object.fromEntries(JOB_STATE_NAMES.map((state) => [state, 0])) as Record<JobState, number>;
  for (const q of queues) for (const state of JOB_STATE_NAMES) totals[state] += q.counts[state];
  const summary = { queues: queues.length, counts: totals };
  printData(flags.json === true, summary, () => [{ queues: queues.length, ...totals }], ['queues', ...JOB_STATE_NAMES]);
}

export function registerStats(program: Command): void {
  addClientOptions(
    program
      .command('stats [queue]')
      .description('job counts by state: one queue, or totals over all queues')
      .addHelpText('after', '\nExamples:\n  docket stats\n  docket stats emails --json'),
  ).action((queue: string | undefined, flags: ClientFlags) => stats(queue, flags));
}
