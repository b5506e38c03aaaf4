import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authOptionsOf, browserPolicyOf } from './auth-config.ts';
import { resolveServeConfig, type ServeConfig } from './config.ts';
import { CliError } from './errors.ts';
import { parseQueueDeclarations } from './queue-declarations.ts';

const ADMIN = 'a'.repeat(40);
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The serve config of these flags and env, as `docket serve` resolves it. */
function config(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv = {},
): ServeConfig {
  const result = resolveServeConfig({ flags, env, parseQueues: parseQueueDeclarations });
  if (!('resolved' in result)) throw new Error(result.problems.join('; '));
  return result.resolved.config;
}

async function refusal(promise: Promise<unknown>): Promise<CliError> {
  const err: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof CliError)) throw new Error(`expected a CliError, got ${String(err)}`);
  return err;
}

describe('authOptionsOf', () => {
  it('auth off on loopback is the zero-setup default; beyond loopback it refuses with exit 2 unless --insecure-no-auth', async () => {
    expect(await authOptionsOf(config({ host: '127.0.0.1' }))).toBeUndefined();
    const err = await refusal(authOptionsOf(config({ host: '0.0.0.0' })));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^refusing to serve 0\.0\.0\.0 without auth/);
    expect(await authOptionsOf(config({ host: '0.0.0.0', insecureNoAuth: true }))).toBeUndefined();
    expect(await authOptionsOf(config({ host: '0.0.0.0' }, { DOCKET_INSECURE_NO_AUTH: 'true' }))).toBeUndefined();
  });

  it('--auth or DOCKET_AUTH turns auth on without an admin token; /metrics then needs read:*', async () => {
    expect(await authOptionsOf(config({ auth: true, host: '0.0.0.0' }))).toEqual({ metrics: 'auth' });
    expect(await authOptionsOf(config({}, { DOCKET_AUTH: 'true' }))).toEqual({ metrics: 'auth' });
  });

  it('an admin token turns auth on; one shorter than 32 characters is refused', async () => {
    expect(await authOptionsOf(config({}, { DOCKET_ADMIN_TOKEN: ADMIN }))).toEqual({
      adminToken: ADMIN,
      metrics: 'auth',
    });
    const err = await refusal(authOptionsOf(config({}, { DOCKET_ADMIN_TOKEN: 'short' })));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('too short');
  });

  it('--admin-token-file reads the token (trimmed); a missing file, or both a file and DOCKET_ADMIN_TOKEN, are exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docket-admin-'));
    dirs.push(dir);
    const file = join(dir, 'admin.token');
    await writeFile(file, `${ADMIN}\n`);
    await chmod(file, 0o600);
    expect(await authOptionsOf(config({ adminTokenFile: file }))).toEqual({ adminToken: ADMIN, metrics: 'auth' });
    expect((await refusal(authOptionsOf(config({ adminTokenFile: join(dir, 'none') })))).exitCode).toBe(2);
    const both = await refusal(authOptionsOf(config({ adminTokenFile: file }, { DOCKET_ADMIN_TOKEN: ADMIN })));
    expect(both.message).toContain('not both');
  });

  it('the metrics policy: its own token with --metrics-token, open with --open-metrics', async () => {
    const metrics = 'm'.repeat(40);
    expect(await authOptionsOf(config({ auth: true, metricsToken: metrics }))).toEqual({ metrics: { token: metrics } });
    expect(await authOptionsOf(config({ auth: true, openMetrics: true }))).toEqual({ metrics: 'open' });
  });
});

describe('browserPolicyOf', () => {
  it('on loopback only loopback Host names and --allowed-hosts (lower-cased); beyond it any Host', () => {
    expect(browserPolicyOf(config({ host: '127.0.0.1', allowedHosts: 'Docket.Internal, ops.local' }))).toEqual({
      corsOrigins: [],
      allowedHosts: ['docket.internal', 'ops.local'],
    });
    expect(browserPolicyOf(config({ host: '0.0.0.0', insecureNoAuth: true })).allowedHosts).toBeNull();
  });

  it('--cors-origin is a comma-separated allow-list, empty by default', () => {
    expect(browserPolicyOf(config({ corsOrigin: 'https://a.example, https://b.example' })).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(browserPolicyOf(config({})).corsOrigins).toEqual([]);
  });
});
