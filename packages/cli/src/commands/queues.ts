/** `docket queues [ls | info <q> | create <q> | delete <q>]`: the queue list and one queue's state. */
import type { Page, QueueInfo, QueueStats } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, integerFlag, type ClientFlags } from '../client-options.ts';
import { segment } from '../http-client.ts';
import { note, printData, printJson } from '../output.ts';
import { QUEUE_COLUMNS, queueRow } from '../rows.ts';

async function list(flags: ClientFlags & { limit?: string }): Promise<void> {
  const client = clientFrom(flags);
  const page = await client.request<Page<QueueStats>>('GET', '/v1/queues', {
    query: { limit: integerFlag('limit', flags.limit, 1, 1000) },
  });
  printData(flags.json === true, page, () => page.items.map(queueRow), QUEUE_COLUMNS);
}

async function info(queue: string, flags: ClientFlags): Promise<void> {
  const { queue: stats } = await clientFrom(flags).request<{ queue: QueueStats }>(
    'GET',
    `/v1/queues/${segment(queue)}`,
  );
  printData(flags.json === true, stats, () => [queueRow(stats)], QUEUE_COLUMNS);
}

async function create(queue: string, flags: ClientFlags): Promise<void> {
  const reply = await clientFrom(flags).request<{ queue: QueueInfo }>('PUT', `/v1/queues/${segment(queue)}`, {
    body: {},
  });
  if (flags.json === true) printJson(reply.queue);
  else note(`queue ${queue} ready`);
}

async function remove(queue: string, flags: ClientFlags): Promise<void> {
  await clientFrom(flags).request<unknown>('DELETE', `/v1/queues/${segment(queue)}`);
  if (flags.json === true) printJson({ deleted: queue });
  else note(`queue ${queue} deleted with its jobs`);
}

export function registerQueues(program: Command): void {
  const queues = program
    .command('queues')
    .description('list queues with their counts by state and lifetime totals, or show, create or delete one')
    .addHelpText(
      'after',
      '\nExamples:\n  docket queues ls\n  docket queues info emails --json\n  docket queues delete emails',
    );
  addClientOptions(
    queues.command('ls', { isDefault: true }).description('list queues with counts by state and lifetime totals'),
  )
    .option('--limit <n>', 'at most this many queues (1-1000)')
    .action((flags: ClientFlags & { limit?: string }) => list(flags));
  addClientOptions(
    queues.command('info <queue>').description("one queue's config, pause state, counts and totals"),
  ).action((queue: string, flags: ClientFlags) => info(queue, flags));
  addClientOptions(queues.command('create <queue>').description('create a queue (idempotent)')).action(
    (queue: string, flags: ClientFlags) => create(queue, flags),
  );
  addClientOptions(queues.command('delete <queue>').description('delete a queue and all of its jobs')).action(
    (queue: string, flags: ClientFlags) => remove(queue, flags),
  );
}
