/**
 * miniqueue's server tests (http_test.go) and its example programs' flows, replayed against a
 * real `docket serve --tls-cert --tls-key` process over HTTP/2 with TLS, trusting a throwaway CA
 * made for the run. Each test has its own topic (with a `-` in it, which miniqueue's DACK could
 * not handle), so tests share the server without sharing messages.
 */
import type { ClientHttp2Session } from 'node:http2';
import type { RequestOptions } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h2Request, openSession } from '../support/h2-client.ts';
import { Subscriber, encodeCommands, publish, purge, text } from '../support/miniqueue-client.ts';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../support/server-process.ts';
import { streamSubscribers, untilSubscribers } from '../support/stream-subscribers.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

let tls: TestTls;
let dataDir: string;
let server: ServerProcess;
let session: ClientHttp2Session;
let topics = 0;

/** A fresh topic per test, named like miniqueue's test topic. */
function topic(): string {
  topics += 1;
  return `test_topic-${topics}`;
}

beforeAll(async () => {
  tls = await createTestTls();
  dataDir = await makeDataDir();
  server = await startServer({ dataDir, ca: tls.ca, args: ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile] });
  session = await openSession(`https://localhost:${server.port}`, { ca: tls.ca });
});

afterAll(async () => {
  session.close();
  await killAllServers();
  await removeDataDir(dataDir);
  await tls.dispose();
});

interface Counts {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly delayed: number;
}

async function counts(queue: string): Promise<Counts> {
  const answer = await h2Request(session, 'GET', `/v1/queues/${queue}`);
  return (JSON.parse(answer.body) as { queue: { counts: Counts } }).queue.counts;
}

/** Reads the queue's counts until they match `expected`; fails after ten seconds. */
async function untilCounts(queue: string, expected: Partial<Counts>): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = await counts(queue);
  while (!Object.entries(expected).every(([key, value]) => seen[key as keyof Counts] === value)) {
    if (Date.now() > deadline) throw new Error(`counts of ${queue}: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await counts(queue);
  }
}

async function published(queue: string, ...messages: string[]): Promise<void> {
  for (const message of messages) expect((await publish(session, queue, message)).status).toBe(201);
}

describe("miniqueue's server tests (http_test.go)", () => {
  it('TestPublishSingleMessage: publish answers 201', async () => {
    const answer = await publish(session, topic(), 'test_value');
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('');
  });

  it('TestSubscribeSingleMessage: an INIT subscriber receives the published message', async () => {
    const t = topic();
    await published(t, 'test_message');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_message');
    expect((await sub.response)[':status']).toBe(200);
    sub.reset();
  });

  it('TestSubscribeAck: ACK answers with the next message', async () => {
    const t = topic();
    await published(t, 'test_message_1', 'test_message_2');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_message_1');
    sub.send('ACK');
    expect(text(await sub.next())).toBe('test_message_2');
    sub.reset();
  });

  it('TestServerPublishSubscribeAck: a message published after the ACK is delivered', async () => {
    const t = topic();
    await published(t, 'test_msg_1');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.send('ACK');
    await untilCounts(t, { waiting: 0, active: 0 });
    await published(t, 'test_msg_2');
    expect(text(await sub.next())).toBe('test_msg_2');
    sub.send('ACK');
    sub.reset();
  });

  it('TestServerNack: NACK gives the same message again', async () => {
    const t = topic();
    await published(t, 'test_msg_1');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.send('NACK');
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.reset();
  });

  it('TestServerBack: with m1 and m2 queued, BACK on m1 gives m2, then m1', async () => {
    const t = topic();
    await published(t, 'test_msg_1', 'test_msg_2');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.send('BACK');
    expect(text(await sub.next())).toBe('test_msg_2');
    sub.send('ACK');
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.reset();
  });

  it('TestServerDack_MissingArg: "DACK" gives "too few arguments"', async () => {
    const t = topic();
    await published(t, 'test_msg_1');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.send('DACK');
    expect((await sub.next()).error).toContain('too few arguments');
    await sub.ended;
  });

  it('TestServerDack_InvalidArg: "DACK oops" gives "invalid DACK duration argument"', async () => {
    const t = topic();
    await published(t, 'test_msg_1');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.send('DACK oops');
    expect((await sub.next()).error).toContain('invalid DACK duration argument');
    await sub.ended;
  });

  it('TestServerDack: dackCount 0 first, then DACK 1 brings the message back with dackCount 1', async () => {
    const t = topic();
    await published(t, 'test_msg_1');
    const sub = new Subscriber(session, t);
    const first = await sub.next();
    expect(text(first)).toBe('test_msg_1');
    expect(first.dackCount ?? 0).toBe(0);
    sub.send('DACK 1');
    const again = await sub.next();
    expect(text(again)).toBe('test_msg_1');
    expect(again.dackCount).toBe(1);
    sub.reset();
  });

  it('TestServerConnectionLost: a message held by a dropped consumer goes to the next one', async () => {
    const t = topic();
    await published(t, 'test_msg_1', 'test_msg_2');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    sub.reset();
    // Until the server gave the held message back (a fixed pause lost that race under load, and the
    // next consumer got test_msg_2).
    await untilCounts(t, { waiting: 2, active: 0 });
    const next = new Subscriber(session, t);
    expect(text(await next.next())).toBe('test_msg_1');
    next.reset();
  });

  it('TestServerMultiConsumer: C1 gets m1, C2 gets m2; after m3, m4, C1 ACKs to m3 and C2 to m4', async () => {
    const t = topic();
    await published(t, 'test_msg_1', 'test_msg_2');
    const c1 = new Subscriber(session, t);
    expect(text(await c1.next())).toBe('test_msg_1');
    const c2 = new Subscriber(session, t);
    expect(text(await c2.next())).toBe('test_msg_2');
    await published(t, 'test_msg_3', 'test_msg_4');
    c1.send('ACK');
    expect(text(await c1.next())).toBe('test_msg_3');
    c2.send('ACK');
    expect(text(await c2.next())).toBe('test_msg_4');
    c1.reset();
    c2.reset();
  });

  it('TestServerMultiConsumerConnectionLost: a blocked subscriber gets m1 within 1 s of the first dropping', async () => {
    const t = topic();
    await published(t, 'test_msg_1');
    const c1 = new Subscriber(session, t);
    expect(text(await c1.next())).toBe('test_msg_1');
    const c2 = new Subscriber(session, t);
    expect(await c2.hasReplyWithin(200)).toBe(false);
    c1.reset();
    expect(text(await c2.next(1_000))).toBe('test_msg_1');
    await c1.ended;
    expect(await counts(t)).toMatchObject({ waiting: 0, active: 1 });
    c2.reset();
  });

  it('TestServerDelete: purge answers 200, the held message can still be ACKed, the next is m3', async () => {
    const t = topic();
    await published(t, 'test_msg_1', 'test_msg_2');
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('test_msg_1');
    expect((await purge(session, t)).status).toBe(200);
    sub.send('ACK');
    await published(t, 'test_msg_3');
    const next = await sub.next();
    expect(next.error).toBeUndefined();
    expect(text(next)).toBe('test_msg_3');
    sub.reset();
  });
});

describe("miniqueue's example programs", () => {
  it('echo: publish a line, subscribe with the whole body "INIT" "ACK", print the first message', async () => {
    const t = topic();
    for (const line of ['hello world', 'a second line']) {
      expect((await publish(session, t, line)).status).toBe(201);
      const answer = await h2Request(session, 'POST', `/subscribe/${t}`, encodeCommands(['INIT', 'ACK']), {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(200);
      const first = JSON.parse(answer.body.split('\n')[0] ?? '') as { msg: string };
      expect(text(first)).toBe(line);
    }
    expect(await counts(t)).toMatchObject({ waiting: 0, active: 0, completed: 2 });
  });

  it('exponential_backoff: DACK 2^dackCount redelivers after 1 s, then 2 s, counting up', async () => {
    const t = topic();
    await published(t, 'hello_world');
    const sub = new Subscriber(session, t);
    let reply = await sub.next();
    for (const expected of [1, 2]) {
      const delay = 2 ** (reply.dackCount ?? 0);
      const sent = Date.now();
      sub.send(`DACK ${delay}`);
      reply = await sub.next(delay * 1000 + 5_000);
      expect(text(reply)).toBe('hello_world');
      expect(reply.dackCount).toBe(expected);
      // Never before its delay: the engine holds it until then.
      expect(Date.now() - sent).toBeGreaterThanOrEqual(delay * 1000 - 50);
    }
    sub.reset();
  });

  it('workers -validate -consumers 1: NACKs put the message back in front, so order holds', async () => {
    const t = topic();
    const total = 40;
    // The example NACKs at random 1 time in 10; every fourth delivery here, so runs repeat.
    let deliveries = 0;
    const chance = (): boolean => ++deliveries % 4 === 0;
    const producer = (async () => {
      for (let n = 0; n < total; n++) {
        expect((await publish(session, t, String(n))).status).toBe(201);
        if (n % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const sub = new Subscriber(session, t);
    let expected = 0;
    let nacks = 0;
    while (expected < total) {
      const reply = await sub.next();
      expect(reply.error).toBeUndefined();
      expect(Number(text(reply)), 'uh oh: out of order').toBe(expected);
      if (chance()) {
        nacks += 1;
        sub.send('NACK');
        continue;
      }
      expected += 1;
      sub.send('ACK');
    }
    await producer;
    expect(nacks).toBeGreaterThan(0);
    // Half-close, not reset: the server acts on the last ACK before it ends the response.
    sub.halfClose();
    await sub.ended;
    expect(await counts(t)).toMatchObject({ waiting: 0, active: 0, completed: total });
  });

  it('workers -consumers 2: every published message is consumed and acked once', async () => {
    const t = topic();
    const total = 30;
    for (let n = 0; n < total; n++) await published(t, String(n));
    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      const sub = new Subscriber(session, t);
      for (;;) {
        const reply = await sub.next(1_000).catch(() => null);
        if (reply === null) break;
        seen.push(text(reply));
        sub.send('ACK');
      }
      sub.reset();
    };
    await Promise.all([consume(), consume()]);
    expect(seen.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, n) => n));
    expect(await counts(t)).toMatchObject({ waiting: 0, active: 0, completed: total });
  });

  it('bench_consume: drains a pre-filled topic with consume+ack, without errors', async () => {
    const t = topic();
    const total = 50;
    for (let n = 0; n < total; n++) await published(t, 'helloworld');
    const sub = new Subscriber(session, t);
    let consumed = 0;
    while (consumed < total) {
      const reply = await sub.next();
      expect(reply.error).toBeUndefined();
      consumed += 1;
      sub.send('ACK');
    }
    expect(await sub.hasReplyWithin(300)).toBe(false);
    sub.halfClose();
    await sub.ended;
    expect(await counts(t)).toMatchObject({ waiting: 0, active: 0, completed: total });
  });
});

describe('metrics', () => {
  const subscribersOf = async (queue: string): Promise<number | undefined> =>
    streamSubscribers((await h2Request(session, 'GET', '/metrics')).body, queue);

  it('a subscriber counts in docket_stream_subscribers of its topic until its stream ends', async () => {
    const t = topic();
    await published(t, 'counted');
    expect(await subscribersOf(t)).toBeUndefined();
    const sub = new Subscriber(session, t);
    expect(text(await sub.next())).toBe('counted');
    expect(await subscribersOf(t)).toBe(1);
    sub.reset();
    await untilSubscribers(() => subscribersOf(t), 0);
  });
});

describe('one TLS port for every protocol', () => {
  it('serves HTTP/1.1 through ALPN on the same port, reaching the /v1 API', async () => {
    const { request: httpsRequest } = await import('node:https');
    // https passes TLS options such as ALPNProtocols on to tls.connect.
    const options: RequestOptions & ConnectionOptions = {
      method: 'POST',
      ca: tls.ca,
      ALPNProtocols: ['http/1.1'],
      headers: { 'content-type': 'application/json' },
    };
    const answer = await new Promise<{ status: number; protocol: unknown; body: string }>((resolve, reject) => {
      const req = httpsRequest(`https://localhost:${server.port}/v1/queues/alpn-http1/jobs`, options, (response) => {
        const protocol = (response.socket as { alpnProtocol?: unknown }).alpnProtocol;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, protocol, body }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ data: { via: 'http/1.1' } }));
    });
    expect(answer.protocol).toBe('http/1.1');
    expect(answer.status).toBe(201);
    expect(await counts('alpn-http1')).toMatchObject({ waiting: 1 });
  });

  it('refuses a TLS 1.1 handshake', async () => {
    const { connect } = await import('node:tls');
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port: server.port,
        ca: tls.ca,
        servername: 'localhost',
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve(null);
      });
      socket.once('error', resolve);
    });
    expect(error?.code).toMatch(/PROTOCOL_VERSION/);
  });
});
