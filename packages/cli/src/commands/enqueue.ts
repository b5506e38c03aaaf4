/** `docket enqueue <q> --data …`: add one job. */
import type { Job } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, durationFlag, integerFlag, type ClientFlags } from '../client-options.ts';
import { readJsonData } from '../data-input.ts';
import { segment } from '../http-client.ts';
import { printJson } from '../output.ts';

interface EnqueueFlags extends ClientFlags {
  readonly data: string;
  readonly delay?: string;
  readonly priority?: string;
  readonly dedupKey?: string;
  readonly name?: string;
  readonly id?: string;
  readonly maxAttempts?: string;
  readonly ttl?: string;
}

interface EnqueueReply {
  readonly job: Job;
  readonly created: boolean;
}

async function enqueue(queue: string, flags: EnqueueFlags): Promise<void> {
  const body = {
    data: await readJsonData(flags.data),
    delayMs: durationFlag('delay', flags.delay),
    ttlMs: durationFlag('ttl', flags.ttl),
    priority: integerFlag('priority', flags.priority, -1000, 1000),
    maxAttempts: integerFlag('max-attempts', flags.maxAttempts, 1, 1000),
    dedupKey: flags.dedupKey,
    name: flags.name,
    id: flags.id,
  };
  const reply = await clientFrom(flags).request<EnqueueReply>('POST', `/v1/queues/${segment(queue)}/jobs`, { body });
  if (flags.json === true) printJson(reply);
  else process.stdout.write(`${reply.job.id}${reply.created ? '' : ' (existing job)'}\n`);
}

export function registerEnqueue(program: Command): void {
  addClientOptions(
    program
      .command('enqueue <queue>')
      .description('add one job; prints its id')
      .requiredOption('--data <json|@file|->', 'the payload: inline JSON, @file.json, or - for standard input')
      .option('--delay <duration>', 'run after this long, such as 10s')
      .option('--priority <n>', 'higher runs first (-1000 to 1000)')
      .option('--dedup-key <key>', 'enqueueing the same key again within its window returns the existing job')
      .option('--name <name>', 'task name, for routing to handlers')
      .option('--id <id>', 'client-chosen job id (idempotent)')
      .option('--max-attempts <n>', 'attempts before the job is dead')
      .option('--ttl <duration>', 'the job expires (dead, reason expired) after this long')
      .addHelpText(
        'after',
        `\nExamples:\n  docket enqueue emails --data '{"to":"a@example.com"}'\n  docket enqueue emails --data @job.json --delay 10s --priority 5\n  echo '[1,2]' | docket enqueue numbers --data - --dedup-key batch-7`,
      ),
  ).action((queue: string, flags: EnqueueFlags) => enqueue(queue, flags));
}
