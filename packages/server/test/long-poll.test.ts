/**
 * Long-poll and connection behaviour over a real socket: wake-up latency, a client that goes
 * away while waiting, shutdown of a listening app, and the request timeouts passed at
 * construction (a slow body is cut, a long wait is not).
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { closeApp } from '../src/mod.ts';
import {
  createHarness,
  handlerReached,
  responseClosed,
  type Harness,
  type HarnessOptions,
  type WireJobShape,
} from './support/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Listening {
  readonly harness: Harness;
  readonly base: string;
  readonly port: number;
  /** The next request reaching its handler. */
  readonly handled: () => Promise<void>;
  /** The response of the next request reaching its handler closed (sent, or its client left). */
  readonly closed: () => Promise<void>;
}

async function listen(options: HarnessOptions = {}): Promise<Listening> {
  const harness = await createHarness(options);
  h = harness;
  const handled = handlerReached(harness.app);
  const closed = responseClosed(harness.app);
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (harness.app.server.address() as AddressInfo).port;
  return { harness, base: `http://127.0.0.1:${port}`, port, handled, closed };
}

function post(base: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

interface RawConnection {
  readonly socket: Socket;
  /** Everything received until the server closed the connection, and when that was. */
  readonly ended: Promise<{ data: string; ms: number }>;
  /** Resolves once some data arrived. */
  readonly firstData: Promise<string>;
}

function rawConnection(port: number, request: string): RawConnection {
  const socket = connect(port, '127.0.0.1');
  const started = performance.now();
  let data = '';
  let onFirst: (text: string) => void = () => {};
  const firstData = new Promise<string>((resolve) => {
    onFirst = resolve;
  });
  socket.on('data', (chunk) => {
    data += chunk.toString();
    onFirst(data);
  });
  const ended = new Promise<{ data: string; ms: number }>((resolve) => {
    socket.on('close', () => resolve({ data, ms: performance.now() - started }));
  });
  socket.write(request);
  return { socket, ended, firstData };
}

function rawPost(path: string, body: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('long-poll lease', () => {
  test('a waiting lease is woken by an enqueue from another request', async () => {
    const { base, handled } = await listen({ memory: true });
    await post(base, '/v1/queues/warm-up/jobs', { data: 'first requests compile and warm up the routes' });
    await post(base, '/v1/lease', { queues: ['warm-up'] });
    const handling = handled();
    // A wait longer than the test's own timeout: only the wake-up can answer it in time (how fast
    // it wakes is a benchmark's question, not a test's).
    const lease = post(base, '/v1/lease', { queues: ['q'], waitMs: 60_000 }).then(
      async (response) => (await response.json()) as { jobs: WireJobShape[] },
    );
    await handling;
    const enqueued = await post(base, '/v1/queues/q/jobs', { data: 'wake' });
    const leased = await lease;
    expect(enqueued.status).toBe(201);
    expect(leased.jobs.map((job) => job.data)).toEqual(['wake']);
  });

  test('a client that disconnects while waiting leases nothing', async () => {
    const { harness, base, port, handled, closed } = await listen();
    const handling = handled();
    const responseGone = closed();
    const { socket } = rawConnection(port, rawPost('/v1/lease', JSON.stringify({ queues: ['q'], waitMs: 10_000 })));
    await handling;
    socket.destroy();
    await responseGone;
    const enqueued = (await (await post(base, '/v1/queues/q/jobs', { data: 1 })).json()) as { job: WireJobShape };
    expect((await harness.engine.get(enqueued.job.id)).state).toBe('waiting');
    const second = (await (await post(base, '/v1/lease', { queues: ['q'] })).json()) as { jobs: WireJobShape[] };
    expect(second.jobs.map((job) => job.id)).toEqual([enqueued.job.id]);
  });

  test('a wait longer than requestTimeout is not cut: the timeout covers receiving the request', async () => {
    const { base } = await listen({
      timeouts: { requestTimeoutMs: 500, headersTimeoutMs: 400, connectionsCheckingIntervalMs: 50 },
    });
    const response = await post(base, '/v1/lease', { queues: ['q'], waitMs: 1_200 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ jobs: [] });
  });
});

describe('connections', () => {
  test('a body that arrives too slowly is cut after requestTimeout', async () => {
    const { port } = await listen({
      timeouts: { requestTimeoutMs: 500, headersTimeoutMs: 400, connectionsCheckingIntervalMs: 50 },
    });
    const { ended } = rawConnection(
      port,
      'POST /v1/queues/q/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"da',
    );
    // Only the request timeout answers 408 (the 30 s default would outlast the test).
    const { data } = await ended;
    expect(data).toMatch(/^HTTP\/1\.1 408/);
  });

  test('shutdown releases long-polls, refuses new requests with 503 and closes keep-alive connections', async () => {
    const { harness, port, handled } = await listen();
    const handling = handled();
    // A wait longer than the test's own timeout: only the release can answer it in time.
    const polling = rawConnection(port, rawPost('/v1/lease', JSON.stringify({ queues: ['q'], waitMs: 60_000 })));
    const late = rawConnection(port, 'GET /v1/queues HTTP/1.1\r\nHost: x\r\n');
    await handling;
    const closing = closeApp(harness.app);
    const released = await polling.firstData;
    late.socket.write('\r\n');
    await closing;
    expect(released).toMatch(/^HTTP\/1\.1 200/);
    expect(released).toMatch(/connection: close/i);
    expect(released).toContain('{"jobs":[]}');
    const refused = (await late.ended).data;
    expect(refused).toMatch(/^HTTP\/1\.1 503/);
    expect(refused).toMatch(/retry-after: 1/i);
    expect(refused).toContain('"code":"UNAVAILABLE"');
    await polling.ended;
  });
});
