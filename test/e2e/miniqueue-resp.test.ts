/**
 * The miniqueue RESP door (miniqueue's Redis front end, seeds-reference.md 3.7) against a real
 * `docket serve --miniqueue-resp-port 0` over real sockets: the commands, the subscribe loop
 * with ACK, NACK, BACK and DACK, miniqueue's multi-consumer order, connection loss, bad input,
 * one queue shared with the native API, and a graceful shutdown that gives held messages back.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { ok } from '../support/docket-http.ts';
import { bulkText, RespClient, type RespReply } from '../support/resp-client.ts';
import { serverPerFile } from '../support/server-per-file.ts';
import { streamSubscribers, untilSubscribers } from '../support/stream-subscribers.ts';

const served = serverPerFile({ args: ['--miniqueue-resp-port', '0'] });

/** The door's port, read from the server's start-up line (printed after the HTTP one). */
async function respPort(): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = /miniqueue RESP door listening on redis:\/\/127\.0\.0\.1:(\d+)/.exec(served.server.output());
    if (match !== null) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`no RESP door line in:\n${served.server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function client(): Promise<RespClient> {
  return RespClient.open(await respPort());
}

let n = 0;
function fresh(name: string): string {
  n += 1;
  return `r${n}-${name}`;
}

const OK: RespReply = { type: 'simple', text: 'OK' };

async function publish(topic: string, ...values: string[]): Promise<void> {
  const c = await client();
  for (const value of values) expect(await c.call('PUBLISH', topic, value)).toEqual(OK);
  c.destroy();
}

/** A subscriber that has received its first message. */
async function subscribed(topic: string): Promise<{ c: RespClient; first: string }> {
  const c = await client();
  const first = bulkText(await c.call('SUBSCRIBE', topic));
  return { c, first };
}

/** The server's `docket_stream_subscribers` gauge for `topic`. */
async function subscribersOf(topic: string): Promise<number | undefined> {
  return streamSubscribers(await (await fetch(`${served.server.url}/metrics`)).text(), topic);
}

describe('miniqueue RESP door: commands', () => {
  test('PING, INFO and an unknown command answer as miniqueue does', async () => {
    const c = await client();
    expect(await c.call('PING')).toEqual({ type: 'simple', text: 'pong' });
    expect(await c.call('ping')).toEqual({ type: 'simple', text: 'pong' });
    expect(await c.call('INFO')).toEqual({ type: 'simple', text: 'redis_version:miniqueue_v0.8.0 ' });
    expect(await c.call('FLUSHALL')).toEqual({ type: 'error', text: "unknown command 'FLUSHALL'" });
    expect(await c.call('foo')).toEqual({ type: 'error', text: "unknown command 'foo'" });
    expect(await c.call('FoO')).toEqual({ type: 'error', text: "unknown command 'FoO'" });
    expect(c.isClosed).toBe(false);
    c.destroy();
  });

  test('PUBLISH answers +OK, counts its arguments, and TOPICS lists the topics', async () => {
    const topic = fresh('topics');
    const c = await client();
    expect(await c.call('PUBLISH', topic, 'v')).toEqual(OK);
    expect(await c.call('PUBLISH', topic)).toEqual({ type: 'error', text: 'invalid number of args, want: 3' });
    expect(await c.call('PUBLISH', topic, 'a', 'b')).toEqual({
      type: 'error',
      text: 'invalid number of args, want: 3',
    });
    const topics = await c.call('TOPICS');
    expect(topics.type).toBe('simple');
    const listed = topics.type === 'simple' ? topics.text : '';
    expect(listed).toMatch(/^\[.*\]$/);
    expect(listed.slice(1, -1).split(' ')).toContain(topic);
    c.destroy();
  });

  test('inline commands (telnet style) work, and requests sent before a half-close are still answered', async () => {
    const topic = fresh('inline');
    const c = await client();
    c.sendRaw(`PING\r\nPUBLISH ${topic} hello\r\n\r\nping\n`);
    c.end();
    expect(await c.reply()).toEqual({ type: 'simple', text: 'pong' });
    expect(await c.reply()).toEqual(OK);
    expect(await c.reply()).toEqual({ type: 'simple', text: 'pong' });
    await c.closed;
    const { c: sub, first } = await subscribed(topic);
    expect(first).toBe('hello');
    sub.destroy();
  });

  test('a topic outside the queue-name rule is refused and nothing is published', async () => {
    const c = await client();
    const reply = await c.call('PUBLISH', 'has space', 'v');
    expect(reply.type).toBe('error');
    expect(reply.type === 'error' ? reply.text : '').toMatch(/^INVALID_ARGUMENT invalid topic/);
    expect((await c.call('SUBSCRIBE', 'x'.repeat(201))).type).toBe('error');
    expect(await c.call('PING')).toEqual({ type: 'simple', text: 'pong' });
    const topics = await c.call('TOPICS');
    expect(topics.type === 'simple' ? topics.text : '').not.toContain('has space');
    c.destroy();
  });

  test('a malformed request gets a protocol error after the answers before it, the connection closes, nothing is published', async () => {
    const topic = fresh('malformed');
    const c = await client();
    c.sendRaw(`PING\r\n*1\r\n$x\r\nPING\r\nPUBLISH ${topic} after\r\n`);
    expect(await c.reply()).toEqual({ type: 'simple', text: 'pong' });
    expect(await c.reply()).toEqual({ type: 'error', text: 'ERR Protocol error: invalid bulk length' });
    await c.closed;
    const big = await client();
    big.sendRaw(`*3\r\n$7\r\nPUBLISH\r\n$${topic.length}\r\n${topic}\r\n$${1024 * 1024 + 1}\r\n`);
    expect(await big.reply()).toEqual({ type: 'error', text: 'ERR Protocol error: invalid bulk length' });
    await big.closed;
    const check = await client();
    const topics = await check.call('TOPICS');
    expect(topics.type === 'simple' ? topics.text : '').not.toContain(topic);
    check.destroy();
  });
});

describe('miniqueue RESP door: stock Redis clients', () => {
  test('redis-cli publishes, lists topics and pings as against miniqueue', async () => {
    const port = String(await respPort());
    const topic = fresh('redis-cli');
    const cli = async (...args: string[]): Promise<string> =>
      (await promisify(execFile)('redis-cli', ['-h', '127.0.0.1', '-p', port, ...args])).stdout.trim();
    expect(await cli('PUBLISH', topic, 'from redis-cli')).toBe('OK');
    expect(await cli('PING')).toBe('pong');
    expect(await cli('TOPICS')).toContain(topic);
    const { c, first } = await subscribed(topic);
    expect(first).toBe('from redis-cli');
    c.destroy();
  });

  test('ioredis connects (its ready check reads INFO) and runs the commands with call()', async () => {
    const topic = fresh('ioredis');
    const redis = new Redis({ host: '127.0.0.1', port: await respPort(), maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.call('PUBLISH', topic, Buffer.from([1, 2, 3]))).toBe('OK');
      expect(await redis.call('PING')).toBe('pong');
      await expect(redis.call('PUBLISH', topic)).rejects.toThrow('invalid number of args, want: 3');
    } finally {
      redis.disconnect();
    }
    const c = await client();
    expect(await c.call('SUBSCRIBE', topic)).toEqual({ type: 'bulk', bytes: Buffer.from([1, 2, 3]) });
    c.destroy();
  });
});

describe('miniqueue RESP door: subscribe', () => {
  test('delivers the bytes exactly, then ACK answers +OK and delivers the next message', async () => {
    const topic = fresh('ack');
    const binary = Buffer.from([0, 13, 10, 255, 36, 42, 13, 10]);
    const p = await client();
    expect(await p.call('PUBLISH', topic, binary)).toEqual(OK);
    expect(await p.call('PUBLISH', topic, 'second')).toEqual(OK);
    const c = await client();
    expect(await c.call('SUBSCRIBE', topic)).toEqual({ type: 'bulk', bytes: binary });
    expect(await c.call('ACK')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('second');
    expect(await c.call('ACK')).toEqual(OK);
    // Nothing left: the door waits for the next publish.
    expect(await c.silentFor(300)).toBe(true);
    expect(await p.call('PUBLISH', topic, 'third')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('third');
    c.destroy();
    p.destroy();
  });

  test('NACK puts the message back at the front, BACK at the back', async () => {
    const topic = fresh('nack-back');
    await publish(topic, 'm1', 'm2');
    const { c, first } = await subscribed(topic);
    expect(first).toBe('m1');
    expect(await c.call('NACK')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('m1');
    expect(await c.call('BACK')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('m2');
    expect(await c.call('ACK')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('m1');
    c.destroy();
  });

  test('DACK delays the message by one second (or the seconds given) and it returns to the front', async () => {
    const topic = fresh('dack');
    await publish(topic, 'later');
    const { c } = await subscribed(topic);
    const started = Date.now();
    expect(await c.call('DACK')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('later');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await c.call('DACK', '0')).toEqual(OK);
    expect(bulkText(await c.reply())).toBe('later');
    const job = await ok<{ items: { delayedNacks: number }[] }>(
      served.server.url,
      'GET',
      `/v1/queues/${topic}/jobs?state=active`,
    );
    expect(job.items[0]?.delayedNacks).toBe(2);
    c.destroy();
  });

  test("miniqueue's multi-consumer order: m1 to C1, m2 to C2, then m3 and m4 after their ACKs", async () => {
    const topic = fresh('order');
    await publish(topic, 'm1', 'm2');
    const c1 = await subscribed(topic);
    const c2 = await subscribed(topic);
    expect([c1.first, c2.first]).toEqual(['m1', 'm2']);
    await publish(topic, 'm3', 'm4');
    expect(await c1.c.call('ACK')).toEqual(OK);
    expect(bulkText(await c1.c.reply())).toBe('m3');
    expect(await c2.c.call('ACK')).toEqual(OK);
    expect(bulkText(await c2.c.reply())).toBe('m4');
    c1.c.destroy();
    c2.c.destroy();
  });

  test('a subscriber that goes away gives its message back to the front, to a waiting subscriber', async () => {
    const topic = fresh('gone');
    await publish(topic, 'held');
    const holder = await subscribed(topic);
    expect(holder.first).toBe('held');
    const waiting = await client();
    waiting.send('SUBSCRIBE', topic);
    expect(await waiting.silentFor(200)).toBe(true);
    holder.c.destroy();
    expect(bulkText(await waiting.reply())).toBe('held');
    waiting.destroy();
  });

  test('subscribers count in docket_stream_subscribers of their topic while connected', async () => {
    const topic = fresh('counted');
    await publish(topic, 'one');
    expect(await subscribersOf(topic)).toBeUndefined();
    const holder = await subscribed(topic);
    expect(await subscribersOf(topic)).toBe(1);
    const waiting = await client();
    waiting.send('SUBSCRIBE', topic);
    await untilSubscribers(() => subscribersOf(topic), 2);
    holder.c.destroy();
    expect(bulkText(await waiting.reply())).toBe('one');
    await untilSubscribers(() => subscribersOf(topic), 1);
    waiting.destroy();
    await untilSubscribers(() => subscribersOf(topic), 0);
  });

  test('a command other than ACK, NACK, BACK or DACK is refused, closes the connection and gives the message back', async () => {
    const topic = fresh('refused');
    await publish(topic, 'kept');
    const first = await subscribed(topic);
    expect(await first.c.call('PING')).toEqual({ type: 'error', text: 'invalid ack command' });
    await first.c.closed;
    const second = await subscribed(topic);
    expect(await second.c.call('ACK', 'extra')).toEqual({ type: 'error', text: 'invalid command' });
    await second.c.closed;
    const third = await subscribed(topic);
    expect(await third.c.call('DACK', 'soon')).toEqual({ type: 'error', text: 'invalid command' });
    await third.c.closed;
    const last = await subscribed(topic);
    expect(last.first).toBe('kept');
    last.c.destroy();
  });

  test('one queue with the native API: a JSON job arrives as its JSON text, a published message leases over /v1', async () => {
    const topic = fresh('shared');
    await ok(served.server.url, 'POST', `/v1/queues/${topic}/jobs`, { data: { hello: 'world' } });
    const { c, first } = await subscribed(topic);
    expect(JSON.parse(first)).toEqual({ hello: 'world' });
    expect(await c.call('ACK')).toEqual(OK);
    c.destroy();
    await publish(topic, 'from-resp');
    const { jobs } = await ok<{ jobs: { data: string; encoding: string }[] }>(served.server.url, 'POST', '/v1/lease', {
      queues: [topic],
    });
    expect(jobs[0]).toMatchObject({ encoding: 'bytes', data: Buffer.from('from-resp').toString('base64') });
  });
});

describe('miniqueue RESP door: shutdown', () => {
  test('SIGTERM gives a held message back before the server stops; after a restart it is delivered again', async () => {
    const topic = fresh('shutdown');
    await publish(topic, 'survives');
    const holder = await subscribed(topic);
    expect(holder.first).toBe('survives');
    await served.restart();
    await holder.c.closed;
    const again = await subscribed(topic);
    expect(again.first).toBe('survives');
    again.c.destroy();
  });
});
