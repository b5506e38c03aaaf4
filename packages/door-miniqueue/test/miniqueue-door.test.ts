/**
 * The miniqueue door in process, over h2c on a real socket: bad input (topics, commands, DACK
 * arguments, bodies), miniqueue's 404/405 fallbacks, the purge guard that keeps every other path
 * safe from `DELETE /{topic}`, rendering, half-close, HTTP/1.1 subscribe and shutdown.
 */
import type { ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { h2Request, openSession } from '../../../test/support/h2-client.ts';
import { Subscriber, encodeCommands, publish, purge, text } from '../../../test/support/miniqueue-client.ts';
import { closeApp } from '@docket/server';
import { createHarness, type Harness } from '../../server/test/support/harness.ts';

let harness: Harness;
let session: ClientHttp2Session;
let base: string;

beforeEach(async () => {
  harness = await createHarness({ memory: true });
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  session = await openSession(base);
});

afterEach(async () => {
  session.destroy();
  await harness.close();
});

async function waitingCount(queue: string): Promise<number> {
  return (await harness.engine.stats(queue)).counts.waiting;
}

describe('publish and purge', () => {
  it('publishes any bytes, empty included, with 201 and no body', async () => {
    const answer = await publish(session, 't', 'not json at all');
    expect(answer).toMatchObject({ status: 201, body: '' });
    expect(answer.headers['content-type']).toBeUndefined();
    expect((await publish(session, 't', '')).status).toBe(201);
    const sub = new Subscriber(session, 't');
    expect(text(await sub.next())).toBe('not json at all');
    sub.send('ACK');
    expect(await sub.next()).toEqual({});
    sub.reset();
  });

  it('refuses a topic outside the queue-name rule with 400 in miniqueue form', async () => {
    const answer = await publish(session, 'h%C3%A9', 'x');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((JSON.parse(answer.body) as { error: string }).error).toMatch(/^invalid topic value/);
    expect(answer.body.endsWith('\n')).toBe(true);
    expect((await publish(session, 'x'.repeat(201), 'x')).status).toBe(400);
    expect((await h2Request(session, 'POST', '/subscribe/a%20b', encodeCommands(['INIT']))).status).toBe(400);
    expect((await h2Request(session, 'DELETE', '/a%20b')).status).toBe(400);
  });

  it('answers 404 for an encoded slash in a topic, as miniqueue (which decodes before matching)', async () => {
    const answer = await publish(session, 'a%2Fb', 'x');
    expect(answer).toMatchObject({ status: 404, body: '404 page not found\n' });
  });

  it('refuses a message over the payload limit with 413', async () => {
    const answer = await publish(session, 'big', new Uint8Array(1024 * 1024 + 1));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toHaveProperty('error');
    expect(await harness.engine.stats('big').catch(() => null)).toBeNull();
  });

  it('purges exactly the topic, not topics it prefixes', async () => {
    await publish(session, 'foo', '1');
    await publish(session, 'foobar', '2');
    await publish(session, 'foo-bar', '3');
    expect(await purge(session, 'foo')).toMatchObject({ status: 200, body: '' });
    expect(await waitingCount('foo')).toBe(0);
    expect(await waitingCount('foobar')).toBe(1);
    expect(await waitingCount('foo-bar')).toBe(1);
    expect((await purge(session, 'never-used')).status).toBe(200);
  });

  it("never purges a path of Docket or of another door's prefix", async () => {
    const docket = ['livez', 'readyz', 'metrics', 'v1', 'openapi.json', 'docs'];
    const doors = ['publish', 'subscribe', 'enqueue', 'wait', 'q', 'status'];
    for (const name of [...docket, ...doors]) {
      await harness.engine.enqueue(name, { data: 1 });
      const answer = await h2Request(session, 'DELETE', `/${name}`);
      expect(answer.status, name).not.toBe(200);
      expect(await waitingCount(name), name).toBe(1);
    }
    await harness.engine.enqueue('v1', { data: 1 });
    expect((await h2Request(session, 'DELETE', '/v%31')).status).not.toBe(200);
    expect(await waitingCount('v1')).toBe(2);
  });
});

describe('fallbacks under /publish/ and /subscribe/', () => {
  it('answers another method on a miniqueue path with an empty 405', async () => {
    for (const [method, path] of [
      ['GET', '/publish/x'],
      ['PUT', '/publish/x'],
      ['DELETE', '/publish/x'],
      ['GET', '/subscribe/x'],
    ] as const) {
      const answer = await h2Request(session, method, path);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.body).toBe('');
    }
  });

  it("answers an unmatched path under a miniqueue prefix with Go's 404 page", async () => {
    for (const path of ['/publish/', '/publish', '/publish/a/b', '/subscribe/a/b/c']) {
      const answer = await h2Request(session, 'POST', path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).toBe('404 page not found\n');
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it('keeps the door out of the OpenAPI document', async () => {
    const doc = (await h2Request(session, 'GET', '/openapi.json')).body;
    expect(doc).not.toContain('/publish');
    expect(doc).not.toContain('/subscribe');
  });
});

describe('subscribe commands', () => {
  it('sends headers lazily: none until the first message, then text/plain', async () => {
    const sub = new Subscriber(session, 'lazy');
    let headersSeen = false;
    void sub.response.then(() => (headersSeen = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(headersSeen).toBe(false);
    await publish(session, 'lazy', 'hello');
    expect(text(await sub.next())).toBe('hello');
    expect((await sub.response)['content-type']).toBe('text/plain; charset=utf-8');
    sub.reset();
  });

  it('refuses INIT while a message is held, and the stream goes on', async () => {
    await publish(session, 't', 'm1');
    await publish(session, 't', 'm2');
    const sub = new Subscriber(session, 't');
    expect(text(await sub.next())).toBe('m1');
    sub.send('INIT');
    expect(await sub.next()).toEqual({ error: 'error getting next value for consumer' });
    sub.send('ACK');
    expect(text(await sub.next())).toBe('m2');
    sub.reset();
  });

  it('answers an unknown command and goes on', async () => {
    await publish(session, 't', 'm1');
    const sub = new Subscriber(session, 't', ['HELLO']);
    expect(await sub.next()).toEqual({ error: 'unrecognised command received' });
    sub.send('INIT');
    expect(text(await sub.next())).toBe('m1');
    sub.reset();
  });

  it('treats ACK with nothing held as INIT, deleting nothing', async () => {
    await publish(session, 't', 'm1');
    const other = new Subscriber(session, 't');
    expect(text(await other.next())).toBe('m1');
    await publish(session, 't', 'm2');
    const sub = new Subscriber(session, 't', ['ACK']);
    expect(text(await sub.next())).toBe('m2');
    expect((await harness.engine.stats('t')).counts).toMatchObject({ active: 2, completed: 0 });
    other.reset();
    sub.reset();
  });

  for (const [command, error] of [
    ['NACK', 'error NACKing message'],
    ['BACK', 'error BACKing message'],
    ['DACK 1', 'error BACKing message'],
  ] as const) {
    it(`ends the stream on ${command} with nothing held`, async () => {
      const sub = new Subscriber(session, 't', [command]);
      expect(await sub.next()).toEqual({ error });
      await sub.ended;
    });
  }

  for (const [command, error] of [
    ['DACK', 'too few arguments provided to DACK'],
    ['DACK oops', 'invalid DACK duration argument at position [1]'],
    ['DACK  5', 'invalid DACK duration argument at position [1]'],
    ['DACK 1.5', 'invalid DACK duration argument at position [1]'],
    ['DACK 99999999999', 'invalid DACK duration argument at position [1]: at most 31536000 seconds'],
  ] as const) {
    it(`ends the stream on "${command}" and gives the held message back to the front`, async () => {
      await publish(session, 't', 'm1');
      await publish(session, 't', 'm2');
      const sub = new Subscriber(session, 't');
      expect(text(await sub.next())).toBe('m1');
      sub.send(command);
      expect(await sub.next()).toEqual({ error });
      await sub.ended;
      const again = new Subscriber(session, 't');
      expect(text(await again.next())).toBe('m1');
      again.reset();
    });
  }

  for (const [body, label] of [
    ['42\n', 'a number'],
    ['{"cmd":"INIT"}\n', 'an object'],
    ['"unterminated', 'a string cut by the end of the body'],
    ['"bad \\q escape"\n', 'a bad escape'],
  ] as const) {
    it(`answers ${label} with a decoding error and ends, returning the held message`, async () => {
      await publish(session, 't', 'm1');
      const sub = new Subscriber(session, 't');
      expect(text(await sub.next())).toBe('m1');
      sub.stream.write(body);
      if (label.includes('end of the body')) sub.halfClose();
      expect(await sub.next()).toEqual({ error: 'error decoding command' });
      await sub.ended;
      expect(await waitingCount('t')).toBe(1);
    });
  }

  it('reads commands split anywhere across frames, several per frame, any JSON whitespace between', async () => {
    for (const n of ['1', '2', '3']) await publish(session, 't', n);
    const sub = new Subscriber(session, 't', []);
    sub.stream.write('"IN');
    await new Promise((resolve) => setTimeout(resolve, 50));
    sub.stream.write('IT"\r\n\t ');
    expect(text(await sub.next())).toBe('1');
    sub.stream.write('"ACK" "ACK"');
    expect(text(await sub.next())).toBe('2');
    expect(text(await sub.next())).toBe('3');
    sub.reset();
  });

  it('renders a JSON job from the native API as the base64 of its JSON text, dackCount omitted at 0', async () => {
    await harness.engine.enqueue('t', { data: { a: 1 } });
    const sub = new Subscriber(session, 't');
    const reply = await sub.next();
    expect(reply).toEqual({ msg: Buffer.from('{"a":1}').toString('base64') });
    sub.reset();
  });

  it('DACK returns the message with its dackCount, also for a topic with "-" in its name', async () => {
    await publish(session, 'with-dash-topic', 'm1');
    const sub = new Subscriber(session, 'with-dash-topic');
    expect(await sub.next()).toEqual({ msg: Buffer.from('m1').toString('base64') });
    sub.send('DACK 0');
    expect(await sub.next()).toEqual({ msg: Buffer.from('m1').toString('base64'), dackCount: 1 });
    sub.send('DACK -5');
    expect(await sub.next()).toMatchObject({ dackCount: 2 });
    sub.reset();
  });
});

describe('disconnects', () => {
  it('half-close gives the held message back to the front and ends the response', async () => {
    await publish(session, 't', 'm1');
    await publish(session, 't', 'm2');
    const sub = new Subscriber(session, 't');
    expect(text(await sub.next())).toBe('m1');
    sub.halfClose();
    await sub.ended;
    const again = new Subscriber(session, 't');
    expect(text(await again.next())).toBe('m1');
    again.reset();
  });

  it('a body INIT, ACK then end delivers one message, acks it and leaves the next queued (echo example)', async () => {
    await publish(session, 't', 'hello');
    await publish(session, 't', 'world');
    const answer = await h2Request(session, 'POST', '/subscribe/t', encodeCommands(['INIT', 'ACK']));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(`${JSON.stringify({ msg: Buffer.from('hello').toString('base64') })}\n`);
    expect((await harness.engine.stats('t')).counts).toMatchObject({ waiting: 1, active: 0, completed: 1 });
  });

  it('serves subscribe over HTTP/1.1 with a fixed body, leaving nothing in flight', async () => {
    await publish(session, 't', 'one');
    await publish(session, 't', 'two');
    const response = await fetch(`${base}/subscribe/t`, {
      method: 'POST',
      body: encodeCommands(['INIT', 'ACK', 'NACK']),
    });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n');
    expect(lines.map((line) => text(JSON.parse(line) as { msg?: string }))).toEqual(['one', 'two']);
    expect((await harness.engine.stats('t')).counts).toMatchObject({ waiting: 1, active: 0, completed: 1 });
  });

  it('shutdown ends subscribers and gives their messages back before the engine closes', async () => {
    const own = await createHarness({ memory: true, closeEngine: false });
    await own.app.listen({ host: '127.0.0.1', port: 0 });
    const ownSession = await openSession(`http://127.0.0.1:${(own.app.server.address() as AddressInfo).port}`);
    await publish(ownSession, 't', 'm1');
    const sub = new Subscriber(ownSession, 't');
    expect(text(await sub.next())).toBe('m1');
    const waiting = new Subscriber(ownSession, 'other');
    await closeApp(own.app);
    await sub.ended;
    await waiting.ended;
    expect((await own.engine.stats('t')).counts).toMatchObject({ waiting: 1, active: 0 });
    ownSession.destroy();
    await own.engine.close();
    await own.close();
  });
});
