/** `docket schedules` against a running server: set, ls, get, trigger, pause, resume, rm, and refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDocket } from '../support/cli-process.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';

describe('docket schedules', () => {
  let server: ServerProcess;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await makeDataDir('docket-cli-schedules-');
    server = await startServer({ dataDir: dir });
    env = { DOCKET_URL: server.url };
  });
  afterAll(async () => {
    await killAllServers();
    await removeDataDir(dir);
  });

  it('sets, lists, gets, triggers, pauses, resumes and removes a schedule', async () => {
    const set = await runDocket(
      ['schedules', 'set', 'nightly', '--queue', 'reports', '--cron', '0 3 * * *', '--tz', 'Europe/Berlin'].concat([
        '--data',
        '{"kind":"daily"}',
        '--options',
        '{"priority":4}',
        '--catch-up',
        'all',
        '--json',
      ]),
      { env },
    );
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      schedule: { name: 'nightly', queue: 'reports', cron: '0 3 * * *', timezone: 'Europe/Berlin', catchUp: 'all' },
    });
    const every = await runDocket(['schedules', 'set', 'beat', '--queue', 'pings', '--every', '1h', '--paused'], {
      env,
    });
    expect(every.code, every.stderr).toBe(0);
    expect(every.stdout).toMatch(/^NAME +QUEUE +RULE +PAUSED +NEXT +LAST +FIRES\nbeat +pings +every 3600000ms +yes /);
    const listed = await runDocket(['schedules', 'ls', '--json'], { env });
    const names = (JSON.parse(listed.stdout) as { items: { name: string }[] }).items.map((s) => s.name);
    expect(names).toEqual(['beat', 'nightly']);
    const got = await runDocket(['schedules', 'get', 'nightly', '--json'], { env });
    expect(JSON.parse(got.stdout)).toMatchObject({ schedule: { name: 'nightly', fires: 0 } });
    const triggered = await runDocket(['schedules', 'trigger', 'nightly'], { env });
    expect(triggered.code, triggered.stderr).toBe(0);
    const id = triggered.stdout.trim();
    const job = await runDocket(['jobs', 'get', id, '--json'], { env });
    expect(JSON.parse(job.stdout)).toMatchObject({ queue: 'reports', priority: 4, data: { kind: 'daily' } });
    expect((await runDocket(['schedules', 'resume', 'beat'], { env })).stdout).toMatch(
      /beat +pings +every 3600000ms +no /,
    );
    expect((await runDocket(['schedules', 'pause', 'beat'], { env })).stdout).toMatch(/ yes /);
    expect((await runDocket(['schedules', 'rm', 'beat'], { env })).code).toBe(0);
    const gone = await runDocket(['schedules', 'get', 'beat'], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/SCHEDULE_NOT_FOUND/);
  });

  it('exits 2 on bad usage and 1 with the server message on a refused schedule', async () => {
    expect((await runDocket(['schedules', 'set', 's', '--queue', 'q'], { env })).code).toBe(2);
    expect(
      (await runDocket(['schedules', 'set', 's', '--queue', 'q', '--cron', '* * * * *', '--every', '1s'], { env }))
        .code,
    ).toBe(2);
    expect((await runDocket(['schedules', 'set', 's', '--queue', 'q', '--every', 'often'], { env })).code).toBe(2);
    const bad = await runDocket(['schedules', 'set', 's', '--queue', 'q', '--cron', '* * * * *', '--tz', 'Moon/Base'], {
      env,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT: unknown timezone "Moon\/Base"/);
  });
});
