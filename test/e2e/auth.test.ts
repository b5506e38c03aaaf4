/**
 * Auth end to end, through real `docket serve` processes: the bootstrap admin token makes a
 * token with `docket tokens create`; the SDK uses it over HTTP and the consumer stream; a
 * revoke closes the stream (close code 4001); over Redis and PostgreSQL a token revoked on one
 * server is refused by the other within a second. The servers' captured logs (at trace level)
 * never contain a token. A non-loopback bind without auth refuses to start with exit code 2.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@docket/client';
import { ForbiddenError, UnauthenticatedError } from '@docket/protocol';
import { BACKENDS, backendAvailable } from '../support/backends.ts';
import { runDocket } from '../support/cli-process.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';

const ADMIN = randomBytes(24).toString('hex');
const cleanups: (() => Promise<void>)[] = [];
const secrets: string[] = [ADMIN];
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const server of servers) {
    const output = server.output();
    for (const secret of secrets) expect(output.includes(secret), 'a token reached the log').toBe(false);
  }
  await killAllServers();
  for (const cleanup of cleanups) await cleanup();
});

async function serve(args: readonly string[] = []): Promise<ServerProcess> {
  const dataDir = await makeDataDir('docket-auth-');
  cleanups.push(() => removeDataDir(dataDir));
  const server = await startServer({ dataDir, args, env: { DOCKET_ADMIN_TOKEN: ADMIN, DOCKET_LOG_LEVEL: 'trace' } });
  servers.push(server);
  return server;
}

async function createToken(url: string, grants: readonly string[]): Promise<{ id: string; secret: string }> {
  const made = await runDocket(
    [
      'tokens',
      'create',
      '--url',
      url,
      '--name',
      'e2e',
      ...grants.flatMap((g) => ['--grant', g]),
      '--expires',
      '30d',
      '--json',
    ],
    { env: { DOCKET_TOKEN: ADMIN } },
  );
  expect(made.code, made.stderr).toBe(0);
  const reply = JSON.parse(made.stdout) as { token: { id: string }; secret: string };
  secrets.push(reply.secret);
  return { id: reply.token.id, secret: reply.secret };
}

async function status(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/v1/queues/emails`, { headers: { authorization: `Bearer ${token}` } });
  await response.body?.cancel();
  return response.status;
}

describe('auth on one server (SQLite)', () => {
  it(
    'the CLI makes a token that the SDK uses; other queues and no token are refused',
    { timeout: 30_000 },
    async () => {
      const server = await serve();
      const token = await createToken(server.url, ['produce:emails*', 'consume:emails*', 'read:emails*']);
      const plain = await runDocket(['tokens', 'create', '--url', server.url, '--name', 'plain', '--grant', 'read:x'], {
        env: { DOCKET_TOKEN: ADMIN },
      });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/^dkt_[0-9a-f]{20}_[A-Za-z0-9_-]{43}\n$/);
      secrets.push(plain.stdout.trim());

      const listed = await runDocket(['tokens', 'ls', '--url', server.url, '--json'], { env: { DOCKET_TOKEN: ADMIN } });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(token.id);
      expect(listed.stdout).not.toContain(token.secret.slice(-43));
      expect(listed.stdout).not.toContain('hash');

      const client = createClient({ url: server.url, token: token.secret });
      const emails = client.queue('emails');
      await emails.enqueue({ to: 'a@example.com' });
      const [job] = await client.transport.lease({ queues: ['emails'], max: 1, waitMs: 1000 });
      expect(job?.data).toEqual({ to: 'a@example.com' });
      if (job === undefined) throw new Error('nothing leased');
      expect((await client.transport.ack(job.id, { token: job.leaseToken })).state).toBe('completed');
      await expect(client.queue('billing').enqueue({ n: 1 })).rejects.toBeInstanceOf(ForbiddenError);
      const anonymous = createClient({ url: server.url });
      await expect(anonymous.queue('emails').enqueue({ n: 1 })).rejects.toBeInstanceOf(UnauthenticatedError);
      const denied = await runDocket(['queues', 'ls', '--url', server.url]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('UNAUTHENTICATED');
    },
  );

  it(
    'the consumer stream takes the SDK token and closes with 4001 when it is revoked',
    { timeout: 30_000 },
    async () => {
      const server = await serve();
      const token = await createToken(server.url, ['produce:jobs', 'consume:jobs']);
      const client = createClient({ url: server.url, token: token.secret });
      await client.queue('jobs').enqueue({ n: 1 });
      const pushed: string[] = [];
      const consume = client.transport.consume?.bind(client.transport);
      if (consume === undefined) throw new Error('the HTTP transport has a consumer stream');
      const stream = await consume({
        queues: ['jobs'],
        prefetch: 1,
        onJob: (job) => pushed.push(job.id),
      });
      const revoked = await runDocket(['tokens', 'revoke', token.id, '--url', server.url], {
        env: { DOCKET_TOKEN: ADMIN },
      });
      expect(revoked.code, revoked.stderr).toBe(0);
      const closed = await stream.closed;
      expect(closed.code).toBe(4001);
      expect(pushed).toHaveLength(1);
      expect(await status(server.url, token.secret)).toBe(401);
    },
  );
});

describe('serve refuses a non-loopback address without auth', () => {
  it('exits with code 2 and one line saying how to turn auth on', async () => {
    const result = await runDocket(['serve', '--host', '0.0.0.0', '--port', '0', '--data', '/nonexistent-docket-dir']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/refusing to serve 0\.0\.0\.0 without auth.*--auth.*--insecure-no-auth/);
  });
});

for (const backend of BACKENDS) {
  const up = await backendAvailable(backend);
  describe.skipIf(!up)(`revocation across two servers over ${backend.name}`, () => {
    it(
      'a token made on one server works on the other, and is refused there within 1 s of its revoke',
      { timeout: 60_000 },
      async () => {
        const namespace = backend.namespace();
        cleanups.push(() => backend.drop(namespace));
        const store = ['--store', backend.storeUrl(namespace)];
        const a = await serve(store);
        const b = await serve(store);
        const token = await createToken(a.url, ['read:*']);
        expect(await status(b.url, token.secret)).toBe(404);
        const revoked = await runDocket(['tokens', 'revoke', token.id, '--url', a.url], {
          env: { DOCKET_TOKEN: ADMIN },
        });
        expect(revoked.code, revoked.stderr).toBe(0);
        const started = performance.now();
        while ((await status(b.url, token.secret)) !== 401) {
          expect(performance.now() - started).toBeLessThan(1000);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(await status(a.url, token.secret)).toBe(401);
      },
    );
  });
}
