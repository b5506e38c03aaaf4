/**
 * `docket schedules [ls | get <name> | set <name> | rm <name> | trigger <name> | pause <name> |
 * resume <name>]`: cron and interval schedules over `/v1/schedules` (docs/schedules.md). `set`
 * takes `--cron` (with `--tz`) or `--every` with a unit, like every duration on the command line.
 */
import type { Job, Page, Schedule } from '@docket/protocol';
import { Option, type Command } from 'commander';
import { addClientOptions, clientFrom, durationFlag, integerFlag, type ClientFlags } from '../client-options.ts';
import { readJsonData } from '../data-input.ts';
import { UsageError } from '../errors.ts';
import { segment } from '../http-client.ts';
import { isoTime, note, printData, printJson, type Row } from '../output.ts';

const COLUMNS = ['name', 'queue', 'rule', 'paused', 'next', 'last', 'fires'] as const;

function scheduleRow(s: Schedule): Row {
  const rule =
    s.cron === null ? `every ${s.everyMs ?? 0}ms` : `${s.cron}${s.timezone === null ? '' : ` (${s.timezone})`}`;
  return {
    name: s.name,
    queue: s.queue,
    rule,
    paused: s.paused ? 'yes' : 'no',
    next: s.nextFireAt === null ? 'none' : isoTime(s.nextFireAt),
    last: s.lastFireAt === null ? 'never' : isoTime(s.lastFireAt),
    fires: String(s.fires),
  };
}

/** An instant flag: ISO 8601 or milliseconds since the epoch. */
function timeFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new UsageError(
      `--${name}: expected an ISO 8601 time or milliseconds since the epoch, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

interface SetFlags extends ClientFlags {
  readonly queue: string;
  readonly cron?: string;
  readonly tz?: string;
  readonly every?: string;
  readonly data?: string;
  readonly options?: string;
  readonly startAt?: string;
  readonly endAt?: string;
  readonly limit?: string;
  readonly paused?: boolean;
  readonly catchUp?: string;
}

async function set(name: string, flags: SetFlags): Promise<void> {
  if ((flags.cron === undefined) === (flags.every === undefined)) {
    throw new UsageError('give one of --cron and --every');
  }
  const body = {
    queue: flags.queue,
    ...(flags.cron === undefined ? {} : { cron: flags.cron }),
    ...(flags.tz === undefined ? {} : { timezone: flags.tz }),
    ...(flags.every === undefined ? {} : { everyMs: durationFlag('every', flags.every) }),
    ...(flags.data === undefined ? {} : { data: await readJsonData(flags.data) }),
    ...(flags.options === undefined ? {} : { options: await readJsonData(flags.options) }),
    ...(flags.startAt === undefined ? {} : { startAt: timeFlag('start-at', flags.startAt) }),
    ...(flags.endAt === undefined ? {} : { endAt: timeFlag('end-at', flags.endAt) }),
    ...(flags.limit === undefined ? {} : { limit: integerFlag('limit', flags.limit, 1, Number.MAX_SAFE_INTEGER) }),
    ...(flags.paused === true ? { paused: true } : {}),
    ...(flags.catchUp === undefined ? {} : { catchUp: flags.catchUp }),
  };
  const { schedule } = await clientFrom(flags).request<{ schedule: Schedule }>(
    'PUT',
    `/v1/schedules/${segment(name)}`,
    {
      body,
    },
  );
  printData(flags.json === true, { schedule }, () => [scheduleRow(schedule)], COLUMNS);
}

async function list(flags: ClientFlags & { limit?: string }): Promise<void> {
  const page = await clientFrom(flags).request<Page<Schedule>>('GET', '/v1/schedules', {
    query: { limit: integerFlag('limit', flags.limit, 1, 1000) },
  });
  printData(flags.json === true, page, () => page.items.map(scheduleRow), COLUMNS);
}

async function get(name: string, flags: ClientFlags): Promise<void> {
  const reply = await clientFrom(flags).request<{ schedule: Schedule }>('GET', `/v1/schedules/${segment(name)}`);
  printData(flags.json === true, reply, () => [scheduleRow(reply.schedule)], COLUMNS);
}

async function remove(name: string, flags: ClientFlags): Promise<void> {
  await clientFrom(flags).request<unknown>('DELETE', `/v1/schedules/${segment(name)}`);
  if (flags.json === true) printJson({ deleted: name });
  else note(`schedule ${name} deleted (the jobs it enqueued stay)`);
}

async function trigger(name: string, flags: ClientFlags): Promise<void> {
  const reply = await clientFrom(flags).request<{ job: Job }>('POST', `/v1/schedules/${segment(name)}/trigger`);
  if (flags.json === true) printJson(reply);
  else process.stdout.write(`${reply.job.id}\n`);
}

async function flip(name: string, verb: 'pause' | 'resume', flags: ClientFlags): Promise<void> {
  const reply = await clientFrom(flags).request<{ schedule: Schedule }>(
    'POST',
    `/v1/schedules/${segment(name)}/${verb}`,
  );
  printData(flags.json === true, reply, () => [scheduleRow(reply.schedule)], COLUMNS);
}

export function registerSchedules(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('cron and interval schedules that enqueue a job at each tick')
    .addHelpText(
      'after',
      '\nExamples:\n  docket schedules set nightly --queue reports --cron \'0 3 * * *\' --tz Europe/Berlin --data \'{"kind":"daily"}\'\n' +
        '  docket schedules set heartbeat --queue pings --every 30s --catch-up none\n' +
        '  docket schedules ls\n  docket schedules trigger nightly\n  docket schedules rm nightly',
    );
  addClientOptions(
    schedules.command('ls', { isDefault: true }).description('list schedules with their next and last fire'),
  )
    .option('--limit <n>', 'at most this many schedules (1-1000)')
    .action((flags: ClientFlags & { limit?: string }) => list(flags));
  addClientOptions(schedules.command('get <name>').description('show one schedule')).action(
    (name: string, flags: ClientFlags) => get(name, flags),
  );
  addClientOptions(schedules.command('set <name>').description('create a schedule or replace it'))
    .requiredOption('--queue <queue>', 'the queue its jobs go to')
    .option('--cron <expression>', "5 fields, or 6 with seconds first, such as '*/10 * * * * *'")
    .option('--tz <zone>', 'IANA time zone of --cron (default UTC)')
    .option('--every <duration>', 'an interval instead of --cron, such as 30s or 1h (at least 1s)')
    .option('--data <json>', "each job's payload: JSON, @file.json or - for standard input")
    .option('--options <json>', 'enqueue options of each job (priority, maxAttempts, delayMs, …) as JSON')
    .option('--start-at <time>', 'no tick before this time (ISO 8601 or ms)')
    .option('--end-at <time>', 'no tick at or after this time (ISO 8601 or ms)')
    .option('--limit <n>', 'stop after this many fires')
    .option('--paused', 'create it paused')
    .addOption(new Option('--catch-up <policy>', 'ticks missed while no server ran').choices(['none', 'last', 'all']))
    .action((name: string, flags: SetFlags) => set(name, flags));
  addClientOptions(schedules.command('rm <name>').description('delete a schedule')).action(
    (name: string, flags: ClientFlags) => remove(name, flags),
  );
  addClientOptions(schedules.command('trigger <name>').description('enqueue one job now; prints its id')).action(
    (name: string, flags: ClientFlags) => trigger(name, flags),
  );
  addClientOptions(schedules.command('pause <name>').description('stop a schedule firing')).action(
    (name: string, flags: ClientFlags) => flip(name, 'pause', flags),
  );
  addClientOptions(schedules.command('resume <name>').description('fire again from the next tick')).action(
    (name: string, flags: ClientFlags) => flip(name, 'resume', flags),
  );
}
