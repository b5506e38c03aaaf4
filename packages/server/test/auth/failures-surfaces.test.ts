/**
 * Failed authentications on every surface of a real server, over TCP from distinct loopback
 * addresses: `/metrics` (its own token, or a token with read:*), the WebSocket consumer stream's
 * upgrade, the event stream (SSE) and a door with its own token each count their failures in
 * docket_auth_failures_total{reason} and spend the address's one budget, so past the burst the
 * address gets 429 with Retry-After; the right secret is not slowed and other addresses are not
 * affected.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type HarnessOptions } from '../support/harness.ts';
import { ADMIN_TOKEN, bearer, mint } from './support.ts';

const BURST = 3;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const DOOR_TOKEN = 'emq-door-token-for-tests-0123456789abcd';
const UNKNOWN = `dkt_${'1'.repeat(20)}_${'B'.repeat(43)}`;
const GUESSER = '127.0.0.2';
const OTHER = '127.0.0.3';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let h: Harness | undefined;
let port = 0;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function serve(auth: NonNullable<HarnessOptions['auth']>, doors: HarnessOptions['doors'] = {}): Promise<void> {
  h = await createHarness({ memory: true, auth: { failureBurst: BURST, cacheTtlMs: 60_000, ...auth }, doors });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
}

function call(
  from: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, localAddress: from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A WebSocket upgrade of the consumer stream: the status it is refused with, and its headers. */
function upgrade(from: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/v1/stream?queues=ws',
      localAddress: from,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error('the upgrade was accepted'));
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of docket_auth_failures_total{reason} in a scrape (0 when absent). */
function failures(scrape: string, reason: string): number {
  const line = scrape.split('\n').find((l) => l.startsWith(`docket_auth_failures_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

function expectLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe('/metrics with its own token', () => {
  it('counts a missing or wrong token, then limits the address; the right token and other addresses pass', async () => {
    await serve({ adminToken: ADMIN_TOKEN, metrics: { token: METRICS_TOKEN } });
    const reader = await mint(h!.app, ['read:*']);
    expect((await call(OTHER, '/v1/queues', bearer(reader.secret))).status).toBe(200);

    expect((await call(GUESSER, '/metrics')).status).toBe(401);
    for (let i = 1; i < BURST; i += 1)
      expect((await call(GUESSER, '/metrics', bearer(`${METRICS_TOKEN}x`))).status).toBe(401);
    const limited = await call(GUESSER, '/metrics', bearer(`${METRICS_TOKEN}x`));
    expectLimited(limited);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // The budget is the address's, for every surface: the API refuses an unknown token too.
    expectLimited(await call(GUESSER, '/v1/queues', bearer(UNKNOWN)));

    const scrape = await call(GUESSER, '/metrics', bearer(METRICS_TOKEN));
    expect(scrape.status).toBe(200);
    expect(failures(scrape.body, 'missing')).toBe(1);
    expect(failures(scrape.body, 'unknown')).toBe(BURST - 1);
    expect(failures(scrape.body, 'rate_limited')).toBe(2);
    expect(scrape.body).not.toContain(METRICS_TOKEN);

    expect((await call(OTHER, '/v1/queues', bearer(reader.secret))).status).toBe(200);
    expect((await call(OTHER, '/metrics', bearer(METRICS_TOKEN))).status).toBe(200);
    expect((await call(OTHER, '/metrics', bearer(`${METRICS_TOKEN}x`))).status).toBe(401);
  });
});

describe('/metrics under auth', () => {
  it('counts each reason, limits the address, keeps a known good token working there', async () => {
    await serve({ adminToken: ADMIN_TOKEN, metrics: 'auth' });
    const reader = await mint(h!.app, ['read:*']);
    expect((await call(GUESSER, '/metrics', bearer(reader.secret))).status).toBe(200);

    expect((await call(GUESSER, '/metrics')).status).toBe(401);
    expect((await call(GUESSER, '/metrics', { authorization: 'Basic eA==' })).status).toBe(401);
    expect((await call(GUESSER, '/metrics', bearer(UNKNOWN))).status).toBe(401);
    expectLimited(await call(GUESSER, '/metrics', bearer(UNKNOWN)));

    const scrape = await call(GUESSER, '/metrics', bearer(reader.secret));
    expect(scrape.status).toBe(200);
    expect(failures(scrape.body, 'missing')).toBe(1);
    expect(failures(scrape.body, 'malformed')).toBe(1);
    expect(failures(scrape.body, 'unknown')).toBe(1);
    expect(failures(scrape.body, 'rate_limited')).toBe(1);
    expect((await call(OTHER, '/metrics', bearer(UNKNOWN))).status).toBe(401);
  });
});

describe('the consumer stream and the event stream', () => {
  it('count their failures in the same budget per address', async () => {
    await serve({ adminToken: ADMIN_TOKEN, metrics: { token: METRICS_TOKEN } });
    expect((await upgrade(GUESSER, bearer(UNKNOWN))).status).toBe(401);
    expect((await upgrade(GUESSER, { 'sec-websocket-protocol': `docket.token.${UNKNOWN}` })).status).toBe(401);
    expect((await call(GUESSER, '/v1/queues/sse/events', bearer(UNKNOWN))).status).toBe(401);
    expectLimited(await upgrade(GUESSER, bearer(UNKNOWN)));
    expectLimited(await call(GUESSER, '/v1/queues/sse/events', bearer(UNKNOWN)));
    expect((await upgrade(OTHER, bearer(UNKNOWN))).status).toBe(401);

    const scrape = (await call(OTHER, '/metrics', bearer(METRICS_TOKEN))).body;
    expect(failures(scrape, 'unknown')).toBe(BURST + 1);
    expect(failures(scrape, 'rate_limited')).toBe(2);
  });
});

describe('a door with its own token (auth off)', () => {
  it('counts a wrong token, then limits the address with Retry-After; the door token and other addresses pass', async () => {
    h = await createHarness({ memory: true, doors: { emq: { token: DOOR_TOKEN } } });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
    const emq = (from: string, password: string) =>
      call(
        from,
        '/enqueue/door',
        {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`docket:${password}`).toString('base64')}`,
        },
        'POST',
        JSON.stringify({ content: 1 }),
      );
    for (let i = 0; i < 20; i += 1) expect((await emq(GUESSER, `${DOOR_TOKEN}x`)).status).toBe(401);
    expectLimited(await emq(GUESSER, `${DOOR_TOKEN}x`));
    expect((await emq(GUESSER, DOOR_TOKEN)).status).toBe(200);
    expect((await emq(OTHER, `${DOOR_TOKEN}x`)).status).toBe(401);
    expect((await emq(OTHER, DOOR_TOKEN)).status).toBe(200);

    const scrape = (await call(OTHER, '/metrics')).body;
    expect(failures(scrape, 'unknown')).toBe(21);
    expect(failures(scrape, 'rate_limited')).toBe(1);
    expect((await h.engine.stats('door')).counts.waiting).toBe(2);
  });
});
