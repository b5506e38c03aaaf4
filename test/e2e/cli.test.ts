/**
 * The `docket` command as users run it: configuration errors and precedence, and the admin
 * commands against a running server.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDocket } from '../support/cli-process.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';

const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await makeDataDir('docket-cli-');
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await killAllServers();
  await Promise.all(dirs.map(removeDataDir));
});

describe('docket serve configuration', () => {
  it('exits 2 with one stderr line per problem when the config is invalid', async () => {
    const dir = await tempDir();
    const config = join(dir, 'docket.yaml');
    await writeFile(config, 'port: 99999\nshutdownTimeout: soon\ncolour: blue\n');
    const result = await runDocket(['serve', '--config', config], { env: { DOCKET_LOG_LEVEL: 'loud' } });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.every((line) => line.startsWith('config error: '))).toBe(true);
    expect(result.stderr).toMatch(/port: .*99999/);
    expect(result.stderr).toMatch(/shutdownTimeout: .*"soon"/);
    expect(result.stderr).toMatch(/unknown key "colour"/);
    expect(result.stderr).toMatch(/logLevel: .*env DOCKET_LOG_LEVEL/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a config file that is missing or not YAML', async () => {
    const dir = await tempDir();
    expect((await runDocket(['serve', '--config', join(dir, 'absent.yaml')])).code).toBe(2);
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'port: [1,\n');
    const result = await runDocket(['config', 'validate', '--config', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid YAML/);
  });

  it('takes flags over env over the config file over defaults', async () => {
    const dir = await tempDir();
    const config = join(dir, 'docket.yaml');
    await writeFile(config, 'port: 7001\nhost: 127.0.0.3\ndata: /from-file\nlogLevel: warn\n');
    const env = { DOCKET_PORT: '7002', DOCKET_DATA: '/from-env', DOCKET_CONFIG: config };
    const result = await runDocket(['config', 'print', '--json', '--port', '7003'], { env });
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, { value: unknown; source: string }>;
    expect(printed['port']).toEqual({ value: 7003, source: 'flag --port' });
    expect(printed['data']).toEqual({ value: '/from-env', source: 'env DOCKET_DATA' });
    expect(printed['host']).toEqual({ value: '127.0.0.3', source: `config file ${config}` });
    expect(printed['logLevel']).toEqual({ value: 'warn', source: `config file ${config}` });
    expect(printed['shutdownTimeout']).toEqual({ value: '25s', source: 'default' });
  });

  it('serves from the data directory the strongest source names', async () => {
    const [fromFile, fromEnv] = [await tempDir(), await tempDir()];
    const config = join(fromFile, 'docket.yaml');
    await writeFile(config, `data: ${join(fromFile, 'data')}\n`);
    const server = await startServer({ env: { DOCKET_CONFIG: config, DOCKET_DATA: join(fromEnv, 'data') } });
    expect(existsSync(join(fromEnv, 'data', 'docket.db'))).toBe(true);
    expect(existsSync(join(fromFile, 'data'))).toBe(false);
    expect((await server.stop()).code).toBe(0);
  });
});

describe('admin commands against a running server', () => {
  let server: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startServer({ dataDir: await tempDir() });
    env = { DOCKET_URL: server.url };
  });

  it('enqueues, leases with --ack, and lists queues as JSON', async () => {
    const enqueued = await runDocket(['enqueue', 'cli-q', '--data', '{"to":"a@example.com"}', '--priority', '5'], {
      env,
    });
    expect(enqueued.code).toBe(0);
    const id = enqueued.stdout.trim();
    expect(id).toMatch(/^[0-9A-Z]{26}$/);

    const fromStdin = await runDocket(['enqueue', 'cli-q', '--data', '-', '--dedup-key', 'k1', '--json'], {
      env,
      input: '[1,2,3]',
    });
    expect(fromStdin.code).toBe(0);
    const second = JSON.parse(fromStdin.stdout) as { job: { id: string; data: unknown }; created: boolean };
    expect(second).toMatchObject({ created: true, job: { data: [1, 2, 3] } });

    const leased = await runDocket(['lease', 'cli-q', '--max', '10', '--ack', '--json'], { env });
    expect(leased.code).toBe(0);
    const { jobs, acked } = JSON.parse(leased.stdout) as { jobs: { id: string }[]; acked: boolean };
    expect(acked).toBe(true);
    expect(jobs.map((job) => job.id)).toEqual([id, second.job.id]);

    const queues = await runDocket(['queues', 'ls', '--json'], { env });
    expect(queues.code).toBe(0);
    const page = JSON.parse(queues.stdout) as {
      items: { name: string; counts: Record<string, number>; totals: Record<string, number> }[];
    };
    const listed = page.items.find((q) => q.name === 'cli-q');
    expect(listed?.counts).toMatchObject({ waiting: 0, active: 0, completed: 2 });
    expect(listed?.totals).toEqual({ completed: 2, failed: 0 });
    const table = await runDocket(['queues', 'info', 'cli-q'], { env });
    expect(table.stdout).toMatch(
      /^NAME +PAUSED +WAITING +DELAYED +ACTIVE +COMPLETED +DEAD +TOTAL-COMPLETED +TOTAL-FAILED\ncli-q +false +0 +0 +0 +2 +0 +2 +0\n$/,
    );

    const job = await runDocket(['jobs', 'get', id, '--json'], { env });
    expect(JSON.parse(job.stdout)).toMatchObject({ id, state: 'completed', priority: 5 });
  });

  it('exits 1 with the server message when the server refuses', async () => {
    const enqueued = await runDocket(['enqueue', 'cli-refused', '--data', '1'], { env });
    const result = await runDocket(['ack', enqueued.stdout.trim(), '--lease', 'not-the-token'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/LEASE_MISMATCH: lease token does not match job/);
    const missing = await runDocket(['queues', 'info', 'never-used'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/QUEUE_NOT_FOUND/);
  });

  it('exits 2 on bad usage without calling the server', async () => {
    expect((await runDocket(['enqueue', 'q', '--data', '{oops'], { env })).code).toBe(2);
    expect((await runDocket(['lease', 'q', '--wait', 'forever'], { env })).code).toBe(2);
    expect((await runDocket(['no-such-command'], { env })).code).toBe(2);
  });

  it('pauses, resumes, purges and reports stats', async () => {
    await runDocket(['enqueue', 'cli-admin', '--data', '1'], { env });
    expect((await runDocket(['pause', 'cli-admin'], { env })).code).toBe(0);
    const whilePaused = await runDocket(['lease', 'cli-admin', '--json'], { env });
    expect(JSON.parse(whilePaused.stdout)).toMatchObject({ jobs: [] });
    expect((await runDocket(['resume', 'cli-admin'], { env })).code).toBe(0);
    const stats = await runDocket(['stats', 'cli-admin', '--json'], { env });
    expect(JSON.parse(stats.stdout)).toMatchObject({ name: 'cli-admin', paused: false, counts: { waiting: 1 } });
    const all = await runDocket(['stats', '--json'], { env });
    expect(JSON.parse(all.stdout)).toMatchObject({
      counts: { waiting: expect.any(Number) as number },
      totals: { completed: expect.any(Number) as number, failed: expect.any(Number) as number },
    });
    expect((await runDocket(['stats'], { env })).stdout).toMatch(/^QUEUES +DELAYED .* TOTAL-COMPLETED +TOTAL-FAILED\n/);
    const purged = await runDocket(['purge', 'cli-admin', '--json'], { env });
    expect(JSON.parse(purged.stdout)).toEqual({ purged: 1 });
  });

  it('cancels a job, then deletes it', async () => {
    const id = (await runDocket(['enqueue', 'cli-cancel', '--data', '{}'], { env })).stdout.trim();
    const cancelled = await runDocket(['jobs', 'cancel', id, '--json'], { env });
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id, state: 'dead', deadReason: 'cancelled' });
    expect((await runDocket(['jobs', 'delete', id], { env })).code).toBe(0);
    const gone = await runDocket(['jobs', 'get', id], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/JOB_NOT_FOUND/);
  });

  it('reports health by exit code', async () => {
    const healthy = await runDocket(['health'], { env });
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^ready/);
    const down = await runDocket(['health', '--url', 'http://127.0.0.1:9', '--timeout', '2s']);
    expect(down.code).toBe(1);
  });

  it('prints --help with examples and --version', async () => {
    const help = await runDocket(['enqueue', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    const version = await runDocket(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
