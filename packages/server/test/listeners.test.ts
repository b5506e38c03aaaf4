/**
 * The listeners on real sockets: cleartext HTTP/1.1 and h2c on one port; HTTPS with HTTP/2 and
 * HTTP/1.1 by ALPN; TLS 1.2 as the minimum; shutdown that does not wait for idle HTTP/2 sessions.
 */
import { connect as tlsConnect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTls, type TestTls } from '../../../test/support/tls.ts';
import { closeApp } from '../src/mod.ts';
import { createHarness, type Harness } from './support/harness.ts';
import { h2Request, https1Request, openSession } from '../../../test/support/h2-client.ts';

let tls: TestTls;
beforeAll(async () => {
  tls = await createTestTls();
});
afterAll(async () => {
  await tls.dispose();
});

async function listening(harness: Harness): Promise<number> {
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  return (harness.app.server.address() as AddressInfo).port;
}

describe('cleartext listener', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await createHarness({ memory: true });
    port = await listening(harness);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('serves HTTP/1.1', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/livez`);
    expect(response.status).toBe(200);
    expect(harness.app.listeningOrigin).toBe(`http://127.0.0.1:${port}`);
  });

  it('serves HTTP/2 with prior knowledge (h2c) on the same port, routes and errors alike', async () => {
    const session = await openSession(`http://127.0.0.1:${port}`);
    try {
      const created = await h2Request(session, 'POST', '/v1/queues/h2c/jobs', JSON.stringify({ data: { n: 1 } }), {
        'content-type': 'application/json',
      });
      expect(created.status).toBe(201);
      const leased = await h2Request(session, 'POST', '/v1/lease', JSON.stringify({ queues: ['h2c'] }), {
        'content-type': 'application/json',
      });
      expect(leased.status).toBe(200);
      expect((JSON.parse(leased.body) as { jobs: Array<{ data: unknown }> }).jobs[0]?.data).toEqual({ n: 1 });
      const missing = await h2Request(session, 'GET', '/v1/nowhere');
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    } finally {
      session.close();
    }
  });

  it('still answers a request whose first bytes arrive one at a time', async () => {
    const { Socket } = await import('node:net');
    const socket = new Socket();
    await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
    const request = 'GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
    });
    for (const char of request.slice(0, 3)) {
      socket.write(char);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    socket.write(request.slice(3));
    expect(await answer).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});

describe('TLS listener', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await createHarness({ memory: true, tls: { cert: tls.cert, key: tls.key } });
    port = await listening(harness);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('names its origin https', () => {
    expect(harness.app.listeningOrigin).toBe(`https://127.0.0.1:${port}`);
  });

  it('serves HTTP/2 through ALPN h2', async () => {
    const session = await openSession(`https://localhost:${port}`, { ca: tls.ca });
    try {
      expect(session.alpnProtocol).toBe('h2');
      const created = await h2Request(session, 'POST', '/v1/queues/tls/jobs', JSON.stringify({ data: 1 }), {
        'content-type': 'application/json',
      });
      expect(created.status).toBe(201);
    } finally {
      session.close();
    }
  });

  it('serves HTTP/1.1 on the same port through ALPN http/1.1', async () => {
    const answer = await https1Request(`https://127.0.0.1:${port}/v1/queues/tls`, tls.ca, 'GET');
    expect(answer.protocol).toBe('http/1.1');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ queue: { name: 'tls' } });
  });

  it('refuses TLS 1.1 and accepts TLS 1.2', async () => {
    const handshake = (maxVersion: 'TLSv1.1' | 'TLSv1.2'): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = tlsConnect({
          host: '127.0.0.1',
          port,
          ca: tls.ca,
          servername: 'localhost',
          minVersion: 'TLSv1',
          maxVersion,
          // Let the client offer TLS 1.1 at all, so the refusal is the server's.
          ciphers: 'DEFAULT@SECLEVEL=0',
        });
        socket.once('secureConnect', () => {
          resolve(socket.getProtocol() ?? 'unknown');
          socket.destroy();
        });
        socket.once('error', reject);
      });
    const refused = await handshake('TLSv1.1').then(
      () => null,
      (err: unknown) => err as NodeJS.ErrnoException,
    );
    expect(refused?.code).toMatch(/PROTOCOL_VERSION/);
    await expect(handshake('TLSv1.2')).resolves.toBe('TLSv1.2');
  });
});

describe('shutdown', () => {
  it('closes an h2c session whose client vanished with a stream still open', async () => {
    const harness = await createHarness({ memory: true });
    const arrived = new Promise<void>((resolve) => {
      harness.app.addHook('onRequest', (_request, _reply, done) => {
        resolve();
        done();
      });
    });
    const port = await listening(harness);
    const session = await openSession(`http://127.0.0.1:${port}`);
    const stream = session.request({ ':method': 'POST', ':path': '/v1/lease', 'content-type': 'application/json' });
    stream.on('error', () => undefined);
    stream.write(JSON.stringify({ queues: ['q'], waitMs: 30_000 }));
    await arrived;
    session.destroy();
    const started = Date.now();
    await closeApp(harness.app);
    // Without closing the half-open socket, the session (and the close) would wait forever.
    expect(Date.now() - started).toBeLessThan(10_000);
    await harness.close();
  });

  for (const mode of ['cleartext', 'tls'] as const) {
    it(`closes promptly with an idle HTTP/2 session open (${mode})`, async () => {
      const harness = await createHarness(
        mode === 'tls' ? { memory: true, tls: { cert: tls.cert, key: tls.key } } : { memory: true },
      );
      const port = await listening(harness);
      const session = await openSession(
        `${mode === 'tls' ? 'https' : 'http'}://localhost:${port}`,
        mode === 'tls' ? { ca: tls.ca } : {},
      );
      expect((await h2Request(session, 'GET', '/livez')).status).toBe(200);
      const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
      const started = Date.now();
      await closeApp(harness.app);
      await goaway;
      // The keep-alive timeout is 72 s: closing well under it means the session was told to go.
      expect(Date.now() - started).toBeLessThan(10_000);
      session.destroy();
      await harness.close();
    });
  }
});
