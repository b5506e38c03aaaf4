/**
 * CLI profiles as users run them: the real `docket` binary against real `docket serve`
 * processes with auth on (one cleartext, one over TLS with a private CA). A profile made with
 * `docket profiles set` carries the URL, the token (inline or as a token file) and the CA;
 * `--profile` and `DOCKET_PROFILE` choose it, `default` is used when none is named; flags beat
 * the environment, which beats the profile; an unknown profile is exit 2; files holding a token
 * are written 0600 and refused when others may read them; `profiles ls` never shows a token.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDocket, type CliResult } from '../support/cli-process.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const ADMIN = randomBytes(24).toString('hex');
const dirs: string[] = [];
let server: ServerProcess;
let tlsServer: ServerProcess;
let tls: TestTls;
let home: string;
let token: string;
let tokenFile: string;

async function tempDir(): Promise<string> {
  const dir = await makeDataDir('docket-profiles-');
  dirs.push(dir);
  return dir;
}

/** `docket …` with its own profiles file and no DOCKET_* from the machine. */
function docket(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return runDocket(args, { env: { DOCKET_CLI_CONFIG: join(home, 'cli.yaml'), ...env } });
}

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  return result;
}

beforeAll(async () => {
  tls = await createTestTls();
  const [a, b] = [await tempDir(), await tempDir()];
  home = await tempDir();
  [server, tlsServer] = await Promise.all([
    startServer({ dataDir: a, env: { DOCKET_ADMIN_TOKEN: ADMIN } }),
    startServer({
      dataDir: b,
      env: { DOCKET_ADMIN_TOKEN: ADMIN },
      args: ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile],
      ca: tls.ca,
    }),
  ]);
  const made = ok(
    await runDocket([
      'tokens',
      'create',
      '--url',
      server.url,
      '--token',
      ADMIN,
      '--name',
      'cli',
      '--grant',
      'produce:*',
      '--grant',
      'read:*',
    ]),
  );
  token = made.stdout.trim();
  tokenFile = join(home, 'prod.token');
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
});

afterAll(async () => {
  await killAllServers();
  await tls?.dispose();
  await Promise.all(dirs.map(removeDataDir));
});

describe('docket --profile', () => {
  it('a profile with a token file runs commands against a server with auth on; the file is 0600', async () => {
    ok(await docket(['profiles', 'set', 'prod', '--url', server.url, '--token-file', tokenFile]));
    expect((await stat(join(home, 'cli.yaml'))).mode & 0o777).toBe(0o600);
    ok(await docket(['enqueue', 'mail', '--data', '{"to":"a"}', '--profile', 'prod']));
    const info = ok(await docket(['queues', 'info', 'mail', '--json'], { DOCKET_PROFILE: 'prod' }));
    expect(JSON.parse(info.stdout)).toMatchObject({ name: 'mail', counts: { waiting: 1 } });
    const anonymous = await docket(['queues', 'info', 'mail', '--url', server.url]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('UNAUTHENTICATED');
  });

  it('an unknown profile is a clear error with exit code 2, by flag or by environment', async () => {
    for (const result of [
      await docket(['queues', 'ls', '--profile', 'nope']),
      await docket(['stats'], { DOCKET_PROFILE: 'nope' }),
    ]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('unknown profile "nope"');
      expect(result.stderr).toContain('prod');
    }
  });

  it('flags beat the environment, which beats the profile', async () => {
    ok(await docket(['profiles', 'set', 'stale', '--url', 'http://127.0.0.1:1', '--token-file', tokenFile]));
    const byFlag = await docket(['queues', 'info', 'mail', '--profile', 'stale', '--url', server.url]);
    expect(byFlag.code).toBe(0);
    const byEnv = await docket(['queues', 'info', 'mail', '--profile', 'stale'], { DOCKET_URL: server.url });
    expect(byEnv.code).toBe(0);
    const badEnvToken = await docket(['queues', 'info', 'mail', '--profile', 'prod'], { DOCKET_TOKEN: 'dkt_wrong' });
    expect(badEnvToken.code).toBe(1);
    expect(badEnvToken.stderr).toContain('UNAUTHENTICATED');
    const flagToken = await docket(['queues', 'info', 'mail', '--profile', 'prod', '--token', token], {
      DOCKET_TOKEN: 'dkt_wrong',
    });
    expect(flagToken.code).toBe(0);
  });

  it('uses the profile named default when none is named', async () => {
    ok(await docket(['profiles', 'set', 'default', '--url', server.url, '--token-file', tokenFile]));
    ok(await docket(['queues', 'info', 'mail']));
    ok(await docket(['profiles', 'rm', 'default']));
    expect((await docket(['queues', 'info', 'mail'])).code).toBe(1);
  });

  it('trusts the CA of a profile for an https server', async () => {
    ok(await docket(['profiles', 'set', 'tls', '--url', tlsServer.url, '--token', ADMIN, '--ca-file', tls.caFile]));
    const queues = ok(await docket(['queues', 'ls', '--profile', 'tls', '--json']));
    expect(JSON.parse(queues.stdout)).toMatchObject({ items: [] });
    const untrusted = await docket(['queues', 'ls', '--url', tlsServer.url, '--token', ADMIN]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('cannot reach docket');
  });

  it('refuses a profiles file or a token file that others may read, and never lists a token', async () => {
    const list = ok(await docket(['profiles', 'ls', '--json']));
    expect(list.stdout).not.toContain(ADMIN);
    expect(list.stdout).not.toContain(token);
    const listed = JSON.parse(list.stdout) as { profiles: { name: string; token: string }[] };
    expect(listed.profiles.find((p) => p.name === 'tls')?.token).toBe('in file');
    expect(await readFile(join(home, 'cli.yaml'), 'utf8')).toContain(ADMIN);
    await chmod(join(home, 'cli.yaml'), 0o644);
    const open = await docket(['queues', 'ls', '--profile', 'tls']);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('readable by others');
    await chmod(join(home, 'cli.yaml'), 0o600);
    ok(await docket(['profiles', 'rm', 'tls']));
    await chmod(tokenFile, 0o644);
    const openToken = await docket(['queues', 'ls', '--profile', 'prod']);
    expect(openToken.code).toBe(2);
    expect(openToken.stderr).toContain(`chmod 600 ${tokenFile}`);
    await chmod(tokenFile, 0o600);
    ok(await docket(['queues', 'ls', '--profile', 'prod']));
  });

  it('rejects a bad profiles file in one line with exit code 2', async () => {
    const file = join(await tempDir(), 'bad.yaml');
    await writeFile(file, 'profiles:\n  prod:\n    url: http://x\n    password: y\n');
    const result = await runDocket(['queues', 'ls', '--profile', 'prod'], { env: { DOCKET_CLI_CONFIG: file } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown key password');
  });
});
