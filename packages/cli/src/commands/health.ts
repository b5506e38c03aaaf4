/** `docket health`: exit code 0 when the server is ready, 1 otherwise (container health checks). */
import type { Command } from 'commander';
import { addClientOptions, clientFrom, type ClientFlags } from '../client-options.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../output.ts';

async function health(flags: ClientFlags): Promise<void> {
  const client = clientFrom(flags);
  const response = await client.fetch('/readyz');
  const body = await response.text();
  const ready = response.status === 200;
  if (flags.json === true) printJson({ url: client.url, ready, status: response.status });
  else process.stdout.write(`${ready ? 'ready' : 'not ready'} (HTTP ${response.status}) ${client.url}\n`);
  if (!ready)
    throw new CliError(`not ready: /readyz answered ${response.status}${body === '' ? '' : ` ${body.slice(0, 200)}`}`);
}

export function registerHealth(program: Command): void {
  addClientOptions(
    program
      .command('health')
      .description('check /readyz; exits 1 unless the server is ready')
      .addHelpText(
        'after',
        '\nExamples:\n  docket health\n  DOCKET_URL=http://10.0.0.5:8080 docket health --timeout 2s',
      ),
  ).action((flags: ClientFlags) => health(flags));
}
