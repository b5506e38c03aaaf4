/** `docket config print | validate`: the effective `serve` configuration, with each key's source. */
import type { Command } from 'commander';
import { describeConfig } from '../config.ts';
import { note, printData } from '../output.ts';
import { addServeOptions, loadServeConfig, type ServeFlags } from '../serve-options.ts';

async function print(flags: ServeFlags & { json?: boolean }): Promise<void> {
  const description = describeConfig(await loadServeConfig(flags, process.env));
  const rows = () =>
    Object.entries(description).map(([key, { value, source }]) => ({
      key,
      value: typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value),
      source,
    }));
  printData(flags.json === true, description, rows, ['key', 'value', 'source']);
}

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('show or check the configuration `docket serve` would use')
    .addHelpText(
      'after',
      '\nExamples:\n  docket config print --config docket.yaml\n  DOCKET_PORT=9000 docket config validate',
    );
  addServeOptions(config.command('print').description('print the effective configuration and where each key came from'))
    .option('--json', 'print JSON instead of a table')
    .action((flags: ServeFlags & { json?: boolean }) => print(flags));
  addServeOptions(
    config
      .command('validate')
      .description('exit 0 when the configuration is valid, 2 with one line per problem otherwise'),
  ).action(async (flags: ServeFlags) => {
    await loadServeConfig(flags, process.env);
    note('configuration is valid');
  });
}
