/**
 * The miniqueue RESP door under the door's policy (issue 18), against real `docket serve`
 * processes with the RESP client of miniqueue-resp.test.ts, ioredis and redis-cli: with auth on
 * and the default policy a connection must `AUTH <token>` (or `AUTH <user> <token>`) first, each
 * command is checked against the token's grants, a revocation takes effect on the next command,
 * failed AUTHs count in docket_auth_failures_total and are rate limited; a door-token policy
 * with auth off accepts only that token; `open` needs no AUTH; `off` with a RESP port stops the
 * start. A refused command changes nothing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDocket } from '../support/cli-process.ts';
import { bulkText, RespClient, type RespReply } from '../support/resp-client.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';

const ADMIN = randomBytes(24).toString('hex');
const DOOR_TOKEN = randomBytes(24).toString('hex');
const OK: RespReply = { type: 'simple', text: 'OK' };
const NOAUTH: RespReply = { type: 'error', text: 'NOAUTH Authentication required.' };
const WRONGPASS: RespReply = {
  type: 'error',
  text: 'WRONGPASS invalid username-password pair or user is disabled.',
};
const REVOKED: RespReply = {
  type: 'error',
  text: 'NOAUTH Authentication required: the token was revoked or has expired.',
};

const dirs: string[] = [];
afterAll(async () => {
  await killAllServers();
  for (const dir of dirs) await removeDataDir(dir);
});

/** A server with the RESP door on a free port; `doors` is the config file's `doors:` mapping. */
async function serve(options: { auth: boolean; doors?: string }): Promise<ServerProcess> {
  const dataDir = await makeDataDir('docket-resp-auth-');
  dirs.push(dataDir);
  const args = ['--miniqueue-resp-port', '0'];
  if (options.doors !== undefined) {
    const file = join(dataDir, 'docket.yaml');
    await writeFile(file, `doors:\n  miniqueue: ${options.doors}\n`);
    args.push('--config', file);
  }
  return startServer({ dataDir, args, env: options.auth ? { DOCKET_ADMIN_TOKEN: ADMIN } : {} });
}

async function respPort(server: ServerProcess): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = /miniqueue RESP door listening on redis:\/\/127\.0\.0\.1:(\d+)/.exec(server.output());
    if (match !== null) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`no RESP door line in:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function admin(server: ServerProcess, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function mint(server: ServerProcess, grants: readonly string[]): Promise<{ id: string; secret: string }> {
  const response = await admin(server, 'POST', '/v1/tokens', { name: 'resp', grants });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { token: { id: string }; secret: string };
  return { id: body.token.id, secret: body.secret };
}

async function waiting(server: ServerProcess, queue: string): Promise<number> {
  const response = await admin(server, 'GET', `/v1/queues/${queue}`);
  if (response.status === 404) return 0;
  return ((await response.json()) as { queue: { counts: { waiting: number } } }).queue.counts.waiting;
}

async function authFailures(server: ServerProcess, reason: string): Promise<number> {
  const text = await (await admin(server, 'GET', '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`docket_auth_failures_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

let n = 0;
function fresh(name: string): string {
  n += 1;
  return `ra${n}-${name}`;
}

describe('auth on, policy auth (the default)', () => {
  let server: ServerProcess;
  let port: number;
  beforeAll(async () => {
    server = await serve({ auth: true });
    port = await respPort(server);
  });

  test('every command before AUTH gets NOAUTH and publishes nothing', async () => {
    const topic = fresh('noauth');
    const c = await RespClient.open(port);
    expect(await c.call('PING')).toEqual(NOAUTH);
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(NOAUTH);
    expect(await c.call('SUBSCRIBE', topic)).toEqual(NOAUTH);
    expect(await c.call('TOPICS')).toEqual(NOAUTH);
    expect(c.isClosed).toBe(false);
    c.destroy();
    expect(await waiting(server, topic)).toBe(0);
  });

  test('a wrong, malformed or revoked token gets WRONGPASS, counted in docket_auth_failures_total', async () => {
    const before = await authFailures(server, 'unknown');
    const beforeMalformed = await authFailures(server, 'malformed');
    const revoked = await mint(server, ['produce:*']);
    expect((await admin(server, 'DELETE', `/v1/tokens/${revoked.id}`)).status).toBe(204);
    const c = await RespClient.open(port);
    expect(await c.call('AUTH', `dkt_${'0'.repeat(20)}_${'A'.repeat(43)}`)).toEqual(WRONGPASS);
    expect(await c.call('AUTH', revoked.secret)).toEqual(WRONGPASS);
    expect(await c.call('AUTH', 'default', 'not-a-token')).toEqual(WRONGPASS);
    expect(await c.call('AUTH')).toEqual({ type: 'error', text: "ERR wrong number of arguments for 'auth' command" });
    expect(await c.call('AUTH', 'a', 'b', 'c')).toEqual({
      type: 'error',
      text: "ERR wrong number of arguments for 'auth' command",
    });
    expect(await c.call('PING')).toEqual(NOAUTH);
    c.destroy();
    expect(await authFailures(server, 'unknown')).toBe(before + 2);
    expect(await authFailures(server, 'malformed')).toBe(beforeMalformed + 1);
  });

  test('AUTH <token> and AUTH <user> <token>: commands are checked against the grants', async () => {
    const topic = fresh('grants');
    const other = fresh('other');
    const token = await mint(server, [`produce:${topic}`, `read:${topic}`]);
    const c = await RespClient.open(port);
    expect(await c.call('AUTH', token.secret)).toEqual(OK);
    expect(await c.call('PING')).toEqual({ type: 'simple', text: 'pong' });
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(OK);
    expect(await c.call('PUBLISH', other, 'v')).toEqual({
      type: 'error',
      text: `NOPERM token resp may not produce on queue ${other}`,
    });
    expect(await c.call('TOPICS')).toEqual({ type: 'simple', text: `[${topic}]` });
    expect(await c.call('SUBSCRIBE', topic)).toEqual({
      type: 'error',
      text: `NOPERM token resp may not consume on queue ${topic}`,
    });
    expect(c.isClosed).toBe(false);
    c.destroy();
    expect(await waiting(server, topic)).toBe(1);
    expect(await waiting(server, other)).toBe(0);

    const d = await RespClient.open(port);
    expect(await d.call('AUTH', 'any-user', token.secret)).toEqual(OK);
    expect(await d.call('PUBLISH', topic, 'w')).toEqual(OK);
    d.destroy();
    expect(await waiting(server, topic)).toBe(2);
  });

  test('a token without any read grant is refused TOPICS', async () => {
    const token = await mint(server, ['produce:x']);
    const c = await RespClient.open(port);
    expect(await c.call('AUTH', token.secret)).toEqual(OK);
    expect(await c.call('TOPICS')).toEqual({ type: 'error', text: 'NOPERM token resp may not read on every queue' });
    c.destroy();
  });

  test('a failed AUTH leaves an authenticated connection as it was', async () => {
    const topic = fresh('keep');
    const token = await mint(server, [`produce:${topic}`]);
    const c = await RespClient.open(port);
    expect(await c.call('AUTH', token.secret)).toEqual(OK);
    expect(await c.call('AUTH', 'wrong')).toEqual(WRONGPASS);
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(OK);
    c.destroy();
  });

  test('revocation takes effect on the next command: publishing, and a subscriber whose message goes back', async () => {
    const topic = fresh('revoke');
    const token = await mint(server, [`produce:${topic}`, `consume:${topic}`]);
    const publisher = await RespClient.open(port);
    expect(await publisher.call('AUTH', token.secret)).toEqual(OK);
    expect(await publisher.call('PUBLISH', topic, 'm1')).toEqual(OK);
    const subscriber = await RespClient.open(port);
    expect(await subscriber.call('AUTH', token.secret)).toEqual(OK);
    expect(bulkText(await subscriber.call('SUBSCRIBE', topic))).toBe('m1');

    expect((await admin(server, 'DELETE', `/v1/tokens/${token.id}`)).status).toBe(204);
    expect(await publisher.call('PUBLISH', topic, 'm2')).toEqual(REVOKED);
    expect(await publisher.call('PUBLISH', topic, 'm2')).toEqual(NOAUTH);
    expect(await subscriber.call('ACK')).toEqual(REVOKED);
    await subscriber.closed;
    publisher.destroy();
    // The held message went back, unacknowledged; m2 was never published.
    expect(await waiting(server, topic)).toBe(1);
  });

  test('ioredis with a password (and with a username) sends AUTH first, then its ready check', async () => {
    const topic = fresh('ioredis');
    const token = await mint(server, [`produce:${topic}`]);
    for (const options of [{ password: token.secret }, { username: 'docket', password: token.secret }]) {
      const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, lazyConnect: true, ...options });
      try {
        await redis.connect();
        expect(await redis.call('PUBLISH', topic, 'v')).toBe('OK');
      } finally {
        redis.disconnect();
      }
    }
    expect(await waiting(server, topic)).toBe(2);
  });

  test('redis-cli without a password gets NOAUTH, with -a it publishes', async () => {
    const topic = fresh('cli');
    const token = await mint(server, [`produce:${topic}`]);
    const cli = async (...args: string[]): Promise<string> =>
      (await promisify(execFile)('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout.trim();
    expect(await cli('PUBLISH', topic, 'v')).toBe('NOAUTH Authentication required.');
    expect(await cli('--no-auth-warning', '-a', token.secret, 'PUBLISH', topic, 'v')).toBe('OK');
    expect(await waiting(server, topic)).toBe(1);
  });

  // Last of its server's tests: after it, this address is refused until its budget refills.
  test('failed AUTHs from one address are rate limited after a burst of 20, a token not known good too', async () => {
    const token = await mint(server, ['read:*']);
    const c = await RespClient.open(port);
    // Earlier tests of this file failed a few times from this address already: 21 more exhaust the burst.
    let reply: RespReply = WRONGPASS;
    for (let i = 0; i < 21 && reply.type === 'error' && reply.text === WRONGPASS.text; i += 1) {
      reply = await c.call('AUTH', `dkt_${'1'.repeat(20)}_${'B'.repeat(43)}`);
    }
    expect(reply).toEqual({ type: 'error', text: 'RATE_LIMITED too many failed authentications from this address' });
    expect(await c.call('AUTH', token.secret)).toEqual({
      type: 'error',
      text: 'RATE_LIMITED too many failed authentications from this address',
    });
    c.destroy();
  });
});

describe('auth off, a door token', () => {
  let server: ServerProcess;
  let port: number;
  beforeAll(async () => {
    server = await serve({ auth: false, doors: DOOR_TOKEN });
    port = await respPort(server);
  });

  test('only that token logs in; then every command runs (no grants while auth is off)', async () => {
    const topic = fresh('door-token');
    const c = await RespClient.open(port);
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(NOAUTH);
    expect(await c.call('AUTH', 'not-the-door-token')).toEqual(WRONGPASS);
    expect(await c.call('AUTH', 'default', DOOR_TOKEN)).toEqual(OK);
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(OK);
    expect(bulkText(await c.call('SUBSCRIBE', topic))).toBe('v');
    expect(await c.call('ACK')).toEqual(OK);
    c.destroy();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^docket_auth_failures_total\{reason="unknown"\} 1$/m);
  });
});

describe('auth on, policy open', () => {
  test('no AUTH needed, and an AUTH is accepted unchecked', async () => {
    const server = await serve({ auth: true, doors: 'open' });
    const topic = fresh('open');
    const c = await RespClient.open(await respPort(server));
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(OK);
    expect(await c.call('AUTH', 'anything')).toEqual(OK);
    expect(bulkText(await c.call('SUBSCRIBE', topic))).toBe('v');
    c.destroy();
  });
});

describe('policy off', () => {
  test('a RESP port with the miniqueue door off stops the start with one line', async () => {
    const dataDir = await makeDataDir('docket-resp-auth-');
    dirs.push(dataDir);
    const file = join(dataDir, 'docket.yaml');
    await writeFile(file, 'doors:\n  miniqueue: off\n');
    const run = await runDocket(
      ['serve', '--data', dataDir, '--port', '0', '--miniqueue-resp-port', '0', '--config', file],
      { timeoutMs: 20_000 },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'for the miniqueue RESP door: the config file turns the miniqueue door off (doors: { miniqueue: off })',
    );
  });
});
