/**
 * Connection guards over a real socket (issue 19, item 11): an `Upgrade` request to an ordinary
 * route is answered and its connection closed (it used to be left unread and open forever), and
 * the requests Node's own parser refuses get the error catalog's body.
 */
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';

let h: Harness;
let port: number;

beforeAll(async () => {
  h = await createHarness({ memory: true });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await h.close();
});

/** Sends raw bytes and resolves with all the server sent once it ended the connection (or after 5 s, `ended: false`). */
function exchange(raw: string): Promise<{ text: string; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const limit = setTimeout(() => {
      socket.destroy();
      resolve({ text, ended: false });
    }, 5_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      clearTimeout(limit);
      socket.end();
      resolve({ text, ended: true });
    });
    socket.on('error', reject);
    socket.write(raw);
  });
}

function connectionCount(): Promise<number> {
  return new Promise((resolve, reject) => {
    h.app.server.getConnections((err, count) => (err === null ? resolve(count) : reject(err)));
  });
}

/**
 * Waits until the server counts `count` connections (it counts one until its own side closed, a
 * moment after the client saw the end); fails after 5 s.
 */
async function untilConnections(count: number): Promise<void> {
  for (let i = 0; i < 500 && (await connectionCount()) !== count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(await connectionCount()).toBe(count);
}

const UPGRADE =
  'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

describe('Connection: Upgrade on routes that take no upgrade', () => {
  test.each([
    ['GET /livez', 200],
    ['GET /v1/queues', 200],
    ['GET /v1/nowhere', 404],
    ['GET /v1/stream', 400],
    ['GET /%1/queues', 400],
  ])('%s is answered, then the server closes the connection', async (line, status) => {
    const path = line === 'GET /v1/stream' ? '/v1/stream?queues=a%20b' : line.slice(4);
    const { text, ended } = await exchange(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}\r\n`);
    expect(text).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(text.toLowerCase()).toContain('connection: close');
    expect(ended).toBe(true);
  });

  test('100 such requests leave no connection open behind them', async () => {
    await untilConnections(0);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => exchange(`GET /livez HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}\r\n`)),
    );
    expect(answers.every((answer) => answer.ended && answer.text.startsWith('HTTP/1.1 200'))).toBe(true);
    await untilConnections(0);
  });
});

describe("Node's own refusals", () => {
  test.each([
    [
      'Content-Length with chunked framing',
      'POST /v1/lease HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n',
    ],
    [
      'a bad chunk size',
      'POST /v1/lease HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
  ])('%s gets a 400 with the catalog body', async (_name, raw) => {
    const { text, ended } = await exchange(raw);
    expect(text).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'invalid request: the HTTP framing is malformed',
        details: { in: 'request' },
      },
    });
    expect(ended).toBe(true);
  });

  test('headers over the limit get a 431 with the catalog body', async () => {
    const { text } = await exchange(`GET /livez HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1.1 431 /);
    expect(text).toContain('"code":"INVALID_ARGUMENT"');
  });
});

/**
 * Sends raw bytes in one write and keeps its own side open (it never ends nor destroys it):
 * resolves with the answer once the server ended the connection.
 */
function sendAndHold(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(raw);
  });
}

describe('connections that Node refused are closed, whatever the client does', () => {
  test('clients that close after a refusal leave no connection open behind them', async () => {
    await untilConnections(0);
    const big = `GET /livez HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => exchange(big)));
    expect(answers.every((answer) => answer.ended && answer.text.startsWith('HTTP/1.1 431 '))).toBe(true);
    await untilConnections(0);
  });

  test.each([
    ['headers over the limit', `GET /livez HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`, 431],
    [
      'a bad chunk size',
      'POST /v1/lease HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      400,
    ],
  ])('a client that keeps its side open after a refusal (%s) is cut after the linger', async (_name, raw, status) => {
    await untilConnections(0);
    const answer = await sendAndHold(raw);
    expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    await untilConnections(0);
  });
});

describe('the Host header of HTTP/1.1 requests', () => {
  test.each([
    ['no Host', 'GET /livez HTTP/1.1\r\n\r\n', 'invalid request: an HTTP/1.1 request needs a Host header'],
    [
      'two Host lines',
      'GET /livez HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'invalid request: more than one Host header',
    ],
  ])('%s gets a 400 with the catalog body and the connection closes', async (_name, raw, message) => {
    const { text, ended } = await exchange(raw);
    expect(text).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(text.toLowerCase()).toContain('\r\nconnection: close\r\n');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'INVALID_ARGUMENT', message, details: { in: 'header', field: 'host' } },
    });
    expect(ended).toBe(true);
  });

  test('HTTP/1.0 needs no Host', async () => {
    const { text } = await exchange('GET /livez HTTP/1.0\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1.1 200 OK\r\n/);
  });
});

test('HEAD on the event stream route answers with the stream head and ends', async () => {
  const { text, ended } = await exchange(
    'HEAD /v1/queues/q/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  );
  expect(text).toMatch(/^HTTP\/1.1 200 OK\r\n/);
  expect(text.toLowerCase()).toContain('content-type: text/event-stream; charset=utf-8');
  expect(ended).toBe(true);
});
