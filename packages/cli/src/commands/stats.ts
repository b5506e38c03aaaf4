/**
 * `docket stats [<q>]`: counts by state and lifetime totals, for one queue or summed over all of
 * them.
 */
import type { JobState, Page, QueueStats } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, type ClientFlags } from '../client-options.ts';
import { segment, type AdminClient } from '../http-client.ts';
import { printData } from '../output.ts';
import { JOB_STATE_NAMES, QUEUE_COLUMNS, TOTAL_COLUMNS, queueRow, totalsRow } from '../rows.ts';

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
  const counts = Object.fromEntries(JOB_STATE_NAMES.map((state) => [state, 0])) as Record<JobState, number>;
  const totals = { completed: 0, failed: 0 };
  for (const q of queues) {
    for (const state of JOB_STATE_NAMES) counts[state] += q.counts[state];
    totals.completed += q.totals.completed;
    totals.failed += q.totals.failed;
  }
  const summary = { queues: queues.length, counts, totals };
  const row = { queues: queues.length, ...counts, ...totalsRow(totals) };
  printData(flags.json === true, summary, () => [row], ['queues', ...JOB_STATE_NAMES, ...TOTAL_COLUMNS]);
}

export function registerStats(program: Command): void {
  addClientOptions(
    program
      .command('stats [queue]')
      .description('job counts by state and lifetime totals: one queue, or summed over all queues')
      .addHelpText('after', '\nExamples:\n  docket stats\n  docket stats emails --json'),
  ).action((queue: string | undefined, flags: ClientFlags) => stats(queue, flags));
}
