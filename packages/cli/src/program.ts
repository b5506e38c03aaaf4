/**
 * The `docket` program: every command registered on one commander instance, and the one place
 * that maps errors to exit codes and stderr lines.
 */
import { Command, CommanderError } from 'commander';
import { registerAck } from './commands/ack.ts';
import { registerConfig } from './commands/config.ts';
import { registerEnqueue } from './commands/enqueue.ts';
import { registerHealth } from './commands/health.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerLease } from './commands/lease.ts';
import { registerNack } from './commands/nack.ts';
import { registerPause } from './commands/pause.ts';
import { registerProfiles } from './commands/profiles.ts';
import { registerPurge } from './commands/purge.ts';
import { registerQueues } from './commands/queues.ts';
import { registerRedrive } from './commands/redrive.ts';
import { registerResume } from './commands/resume.ts';
import { registerSchedules } from './commands/schedules.ts';
import { registerServe } from './commands/serve.ts';
import { registerStats } from './commands/stats.ts';
import { registerTokens } from './commands/tokens.ts';
import { CliError, ConfigError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.ts';
import { cliVersion } from './version.ts';

export function buildProgram(): Command {
  const program = new Command('docket')
    .description('Docket, a durable job queue server: serve it, or administer a running one over HTTP')
    .version(cliVersion(), '-v, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  docket serve --port 8080 --data ./data
  docket enqueue emails --data '{"to":"a@example.com"}'
  docket lease emails --max 10 --wait 20s --ack
  docket queues ls --json
  docket tokens create --name ci --grant 'produce:emails*' --grant 'read:*'
  docket profiles set prod --url https://docket.example.com --token-file ~/.docket/prod.token
  docket queues ls --profile prod
  docket schedules set nightly --queue reports --cron '0 3 * * *' --tz Europe/Berlin

Exit codes: 0 ok, 1 failure (including an error answer from the server), 2 usage or config error.`,
    );
  for (const register of [
    registerServe,
    registerQueues,
    registerJobs,
    registerEnqueue,
    registerLease,
    registerAck,
    registerNack,
    registerPause,
    registerResume,
    registerPurge,
    registerRedrive,
    registerStats,
    registerHealth,
    registerTokens,
    registerProfiles,
    registerSchedules,
    registerConfig,
  ]) {
    register(program);
  }
  return program;
}

function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (err instanceof ConfigError) {
    for (const problem of err.problems) process.stderr.write(`config error: ${problem}\n`);
    return err.exitCode;
  }
  if (err instanceof CliError) {
    process.stderr.write(`docket: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(
    `docket: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return EXIT_FAILURE;
}

/** Runs one command line; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT_OK;
  } catch (err) {
    return report(err);
  }
}
