/** `docket ack <id> --lease T`: the consumer finished the job. */
import type { Job, JsonValue } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, type ClientFlags } from '../client-options.ts';
import { readJsonData } from '../data-input.ts';
import { segment } from '../http-client.ts';
import { note, printJson } from '../output.ts';

interface AckFlags extends ClientFlags {
  readonly lease: string;
  readonly result?: string;
}

async function ack(id: string, flags: AckFlags): Promise<void> {
  const result: JsonValue | undefined = flags.result === undefined ? undefined : await readJsonData(flags.result);
  const { job } = await clientFrom(flags).request<{ job: Job }>('POST', `/v1/jobs/${segment(id)}/ack`, {
    body: { lease: flags.lease, result },
  });
  if (flags.json === true) printJson(job);
  else note(`job ${id} ${job.state}`);
}

export function registerAck(program: Command): void {
  addClientOptions(
    program
      .command('ack <id>')
      .description('acknowledge a leased job (it becomes completed)')
      .requiredOption('--lease <token>', 'the lease token the lease returned')
      .option('--result <json|@file|->', 'a result for whoever waits on the job')
      .addHelpText(
        'after',
        `\nExamples:\n  docket ack 01J0000000000000000000000 --lease 01J0000000000000000000001\n  docket ack 01J0000000000000000000000 --lease 01J0000000000000000000001 --result '{"sent":true}'`,
      ),
  ).action((id: string, flags: AckFlags) => ack(id, flags));
}
