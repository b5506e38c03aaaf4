/** `docket nack <id> --lease T`: give a leased job back, by choice or as a failed attempt. */
import type { Job } from '@docket/protocol';
import type { Command } from 'commander';
import { Option } from 'commander';
import { addClientOptions, clientFrom, durationFlag, type ClientFlags } from '../client-options.ts';
import { UsageError } from '../errors.ts';
import { segment } from '../http-client.ts';
import { note, printJson } from '../output.ts';

interface NackFlags extends ClientFlags {
  readonly lease: string;
  readonly placement?: 'front' | 'back' | 'delay';
  readonly delay?: string;
  readonly fail?: boolean;
  readonly error?: string;
}

function nackBody(flags: NackFlags): Record<string, unknown> {
  const delayMs = durationFlag('delay', flags.delay);
  if (flags.fail === true && (flags.placement !== undefined || delayMs !== undefined)) {
    throw new UsageError('--fail cannot be combined with --placement or --delay');
  }
  const placement = flags.placement ?? (delayMs !== undefined ? 'delay' : flags.fail === true ? undefined : 'back');
  return {
    lease: flags.lease,
    placement,
    delayMs,
    fail: flags.fail === true ? true : undefined,
    error: flags.error === undefined ? undefined : { message: flags.error },
  };
}

async function nack(id: string, flags: NackFlags): Promise<void> {
  const { job } = await clientFrom(flags).request<{ job: Job }>('POST', `/v1/jobs/${segment(id)}/nack`, {
    body: nackBody(flags),
  });
  if (flags.json === true) printJson(job);
  else note(`job ${id} ${job.state}`);
}

export function registerNack(program: Command): void {
  addClientOptions(
    program
      .command('nack <id>')
      .description('give a leased job back: to the back (default), the front, after a delay, or as a failed attempt')
      .requiredOption('--lease <token>', 'the lease token the lease returned')
      .addOption(new Option('--placement <where>', 'where the job goes').choices(['front', 'back', 'delay']))
      .option('--delay <duration>', 'run again after this long (placement delay)')
      .option('--fail', 'a failed attempt: retried after backoff until max attempts, then dead')
      .option('--error <message>', 'the error to record')
      .addHelpText(
        'after',
        '\nExamples:\n  docket nack 01J0… --lease 01J1… --delay 30s\n  docket nack 01J0… --lease 01J1… --fail --error "smtp timeout"',
      ),
  ).action((id: string, flags: NackFlags) => nack(id, flags));
}
