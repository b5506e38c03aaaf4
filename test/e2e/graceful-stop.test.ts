/**
 * The graceful stop of a real `docket serve` over real sockets (issue 19, item 6). One server holds,
 * when it gets SIGTERM: a request whose body is still being sent (in flight), an idle keep-alive
 * connection, an h2c session, and every kind of idle stream (SSE, the WebSocket consumer stream
 * holding leased jobs, a long-poll, miniqueue subscribers over HTTP/1.1 and h2c whose request bodies
 * stay open and silent, a RESP subscriber), each holding its job. While the in-flight request still
 * holds the server open, the test checks that every idle stream has already ended, that a new
 * request on the old connection gets 503 (the catalog's body) with `connection: close`, and that
 * the h2c client got GOAWAY; then it finishes the in-flight request, which gets its 201. The server
 * exits 0 (a stop past the limit exits 1), and after a restart the job of the in-flight request is
 * stored and every held job is waiting again.
 */
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { afterAll, expect, test } from 'vitest';
import { openStream } from '../../packages/server/test/support/stream-client.ts';
import { ok } from '../support/docket-http.ts';
import { Subscriber } from '../support/miniqueue-client.ts';
import { createTestTls } from '../support/tls.ts';
import { bulkText, RespClient } from '../support/resp-client.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';

const SHUTDOWN_LIMIT = '20s';
const dirs: string[] = [];

afterAll(async () => {
  await killAllServers();
  await Promise.all(dirs.map(removeDataDir));
});

/** A raw HTTP/1.1 connection: what the server sent so far, and whether it ended the connection. */
interface RawConnection {
  readonly socket: Socket;
  text(): string;
  /** Resolves once the received text matches `pattern`. */
  until(pattern: RegExp): Promise<string>;
  readonly ended: Promise<void>;
  readonly errors: Error[];
}

/** A cleartext connection, or over TLS (ALPN http/1.1) when given the CA. */
function openRaw(port: number, ca?: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket =
      ca === undefined
        ? connect({ host: '127.0.0.1', port })
        : connectTls({ host: '127.0.0.1', port, ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
    let received = '';
    const waiters = new Set<() => void>();
    const errors: Error[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      for (const waiter of [...waiters]) waiter();
    });
    socket.on('error', (err: Error) => errors.push(err));
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once(ca === undefined ? 'connect' : 'secureConnect', () =>
      resolve({
        socket,
        text: () => received,
        until: (pattern) =>
          new Promise((done, fail) => {
            const check = (): void => {
              if (!pattern.test(received)) return;
              waiters.delete(check);
              done(received);
            };
            waiters.add(check);
            void ended.then(() => {
              if (waiters.delete(check)) fail(new Error(`closed before ${String(pattern)}; got ${received}`));
            });
            check();
          }),
        ended,
        errors,
      }),
    );
    socket.once('error', reject);
  });
}

/** Resolves once the server printed `line` (the runtime logs each step of its stop on stderr). */
async function untilOutput(server: ServerProcess, line: string): Promise<void> {
  while (!server.output().includes(line)) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function waitingCount(url: string, queue: string): Promise<number> {
  const body = await ok<{ queue: { counts: { waiting: number } } }>(url, 'GET', `/v1/queues/${queue}`);
  return body.queue.counts.waiting;
}

function respPortOf(server: ServerProcess): number {
  const match = /miniqueue RESP door listening on redis:\/\/127\.0\.0\.1:(\d+)/.exec(server.output());
  if (match === null) throw new Error(`no RESP door line in:\n${server.output()}`);
  return Number(match[1]);
}

function openH2(url: string, ca?: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(url, ca === undefined ? {} : { ca });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

const BODY = JSON.stringify({ data: 'finished after SIGTERM' });
const HELD = { ws: 'stop-held-ws', mq1: 'stop-held-mq1', mq2: 'stop-held-mq2', resp: 'stop-held-resp' } as const;

/** Three server starts and a TLS setup: generous, for a loaded machine (every step waits on an event). */
const TEST_TIMEOUT_MS = 120_000;

test(
  'SIGTERM finishes in-flight work, refuses new requests, ends idle streams at once and exits 0',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const dataDir = await makeDataDir('docket-stop-');
    dirs.push(dataDir);
    const args = ['--shutdown-timeout', SHUTDOWN_LIMIT, '--miniqueue-resp-port', '0'];
    const server = await startServer({ dataDir, args });
    const { url, port } = server;
    await ok(url, 'POST', `/v1/queues/${HELD.ws}/jobs`, { data: 'a' });
    await ok(url, 'POST', `/v1/queues/${HELD.ws}/jobs`, { data: 'b' });
    for (const topic of [HELD.mq1, HELD.mq2, HELD.resp]) {
      expect((await fetch(`${url}/publish/${topic}`, { method: 'POST', body: 'held' })).status).toBe(201);
    }

    // An idle keep-alive connection: one request answered, the connection left open.
    const idle = await openRaw(port);
    idle.socket.write('GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await idle.until(/\r\n\r\n[\s\S]*"status"/);
    const firstAnswer = idle.text().length;

    // A request in flight: its headers are read (the server sent 100 Continue), its body not yet sent.
    const inFlight = await openRaw(port);
    inFlight.socket.write(
      `POST /v1/queues/stop-inflight/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(BODY)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await inFlight.until(/^HTTP\/1.1 100 Continue\r\n\r\n/);

    const h2c = await openH2(url);
    await getLivez(h2c);
    const goaway = new Promise<void>((resolve) => h2c.once('goaway', () => resolve()));

    const sse = await openRaw(port);
    sse.socket.write(
      'GET /v1/queues/stop-events/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n',
    );
    await sse.until(/^HTTP\/1.1 200 /);

    const consumer = await openStream(url, { queues: HELD.ws, prefetch: 2, leaseMs: 60_000 });
    await consumer.waitFor((m) => m.type === 'job', 2);

    const longPoll = fetch(`${url}/v1/lease`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queues: ['stop-idle'], waitMs: 60_000 }),
    }).catch((err: unknown) => err);

    // miniqueue over HTTP/1.1: a chunked request body that sends INIT, then stays open and silent.
    const mq1 = await openRaw(port);
    const init = '"INIT"\n';
    mq1.socket.write(
      `POST /subscribe/${HELD.mq1} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${init.length.toString(16)}\r\n${init}\r\n`,
    );
    await mq1.until(/"msg"/);

    // miniqueue over h2c: the same, on a stream of its own session.
    const mqSession = await openH2(url);
    const mq2 = new Subscriber(mqSession, HELD.mq2);
    expect((await mq2.next()).msg).toBeDefined();

    const resp = await RespClient.open(respPortOf(server));
    expect(bulkText(await resp.call('SUBSCRIBE', HELD.resp))).toBe('held');

    const exited = server.stop('SIGTERM');
    await untilOutput(server, 'SIGTERM: shutting down');

    // Every idle stream ends at once, while the in-flight request still holds the server open.
    // The stream's last chunk; its connection stays open (it is idle now) until the server closes.
    await sse.until(/event: closing\n[^\n]*"reason":"shutdown"[\s\S]*\r\n0\r\n\r\n$/);
    expect((await consumer.closed).code).toBeGreaterThan(0);
    expect(consumer.messages.some((m) => m.type === 'closing' && m.reason === 'shutdown')).toBe(true);
    const released = await longPoll;
    if (!(released instanceof Response)) throw released;
    expect(released.status).toBe(200);
    expect(await released.json()).toEqual({ jobs: [] });
    await mq1.ended;
    await mq2.ended;
    await resp.closed;
    await goaway;

    // A new request on the old keep-alive connection: 503 with the catalog's body, and the connection closes.
    idle.socket.write('GET /v1/queues HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await idle.ended;
    const refusal = idle.text().slice(firstAnswer);
    expect(refusal).toMatch(/^HTTP\/1.1 503 /);
    expect(refusal.toLowerCase()).toContain('\r\nconnection: close\r\n');
    expect(JSON.parse(refusal.slice(refusal.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: { code: 'UNAVAILABLE' },
    });

    // The in-flight request gets its answer, not a reset.
    expect(server.output()).not.toContain('docket: stopped');
    inFlight.socket.write(BODY);
    await inFlight.ended;
    const answer = inFlight.text().replace(/^HTTP\/1.1 100 Continue\r\n\r\n/, '');
    expect(answer).toMatch(/^HTTP\/1.1 201 /);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
    expect(inFlight.errors).toEqual([]);
    const { job } = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { job: { id: string } };

    expect(await exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('docket: stopped');
    h2c.destroy();
    mqSession.destroy();

    const restarted = await startServer({ dataDir, port, args });
    expect((await ok<{ job: { data: string } }>(restarted.url, 'GET', `/v1/jobs/${job.id}`)).job.data).toBe(
      'finished after SIGTERM',
    );
    expect(await waitingCount(restarted.url, HELD.ws)).toBe(2);
    for (const topic of [HELD.mq1, HELD.mq2, HELD.resp]) expect(await waitingCount(restarted.url, topic)).toBe(1);
    expect((await restarted.stop('SIGTERM')).code).toBe(0);
  },
);

async function getLivez(session: ClientHttp2Session): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const stream = session.request({ ':path': '/livez' });
    stream.resume();
    stream.once('end', () => resolve());
    stream.once('error', reject);
  });
}

test(
  'over TLS: an in-flight HTTP/1.1 request finishes, an idle one is refused with 503, h2 gets GOAWAY',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const tls = await createTestTls();
    const dataDir = await makeDataDir('docket-stop-tls-');
    dirs.push(dataDir);
    try {
      const server = await startServer({
        dataDir,
        ca: tls.ca,
        args: ['--shutdown-timeout', SHUTDOWN_LIMIT, '--tls-cert', tls.certFile, '--tls-key', tls.keyFile],
      });
      const idle = await openRaw(server.port, tls.ca);
      idle.socket.write('GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await idle.until(/\r\n\r\n[\s\S]*"status"/);
      const firstAnswer = idle.text().length;
      const inFlight = await openRaw(server.port, tls.ca);
      inFlight.socket.write(
        `POST /v1/queues/stop-tls/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(BODY)}\r\nExpect: 100-continue\r\n\r\n`,
      );
      await inFlight.until(/^HTTP\/1.1 100 Continue\r\n\r\n/);
      const h2 = await openH2(`https://localhost:${server.port}`, tls.ca);
      await getLivez(h2);
      const goaway = new Promise<void>((resolve) => h2.once('goaway', () => resolve()));

      const exited = server.stop('SIGTERM');
      await untilOutput(server, 'SIGTERM: shutting down');
      await goaway;
      idle.socket.write('GET /v1/queues HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await idle.ended;
      expect(idle.text().slice(firstAnswer)).toMatch(/^HTTP\/1.1 503 [\s\S]*\r\nconnection: close\r\n/i);
      inFlight.socket.write(BODY);
      await inFlight.ended;
      expect(inFlight.text().replace(/^HTTP\/1.1 100 Continue\r\n\r\n/, '')).toMatch(/^HTTP\/1.1 201 /);
      expect(await exited).toEqual({ code: 0, signal: null });
      h2.destroy();
    } finally {
      await tls.dispose();
    }
  },
);
