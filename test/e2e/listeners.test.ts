/**
 * `docket serve` listeners as users start them: cleartext HTTP/1.1 and h2c on one port, the
 * https URL printed with TLS, and the TLS flags' validation (both or neither, readable files).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDocket } from '../support/cli-process.ts';
import { h2Request, openSession } from '../support/h2-client.ts';
import { Subscriber, publish, text } from '../support/miniqueue-client.ts';
import { killAllServers, makeDataDir, removeDataDir, startServer } from '../support/server-process.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

let tls: TestTls;
let dataDir: string;

beforeAll(async () => {
  tls = await createTestTls();
  dataDir = await makeDataDir();
});

afterAll(async () => {
  await killAllServers();
  await removeDataDir(dataDir);
  await tls.dispose();
});

describe('a cleartext server', () => {
  it('serves HTTP/1.1 and h2c (prior knowledge) on the same port', async () => {
    const server = await startServer({ dataDir: join(dataDir, 'cleartext') });
    const created = await fetch(`${server.url}/v1/queues/h2c-e2e/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: 'over http/1.1' }),
    });
    expect(created.status).toBe(201);
    const session = await openSession(server.url);
    try {
      expect((await publish(session, 'h2c-e2e', 'over h2c')).status).toBe(201);
      const sub = new Subscriber(session, 'h2c-e2e');
      expect(text(await sub.next())).toBe('"over http/1.1"');
      sub.send('ACK');
      expect(text(await sub.next())).toBe('over h2c');
      sub.reset();
      const stats = await h2Request(session, 'GET', '/v1/queues/h2c-e2e');
      expect(stats.status).toBe(200);
    } finally {
      session.close();
    }
    expect((await server.stop()).code).toBe(0);
  });
});

describe('docket serve --tls-cert --tls-key', () => {
  it('prints an https URL and stops cleanly with an HTTP/2 session open', async () => {
    const server = await startServer({
      dataDir: join(dataDir, 'tls'),
      ca: tls.ca,
      args: ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile],
    });
    expect(server.output()).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
    const session = await openSession(`https://localhost:${server.port}`, { ca: tls.ca });
    expect((await h2Request(session, 'GET', '/readyz')).status).toBe(200);
    expect((await server.stop()).code).toBe(0);
    session.destroy();
  });

  it('also takes DOCKET_TLS_CERT and DOCKET_TLS_KEY', async () => {
    const server = await startServer({
      dataDir: join(dataDir, 'tls-env'),
      ca: tls.ca,
      env: { DOCKET_TLS_CERT: tls.certFile, DOCKET_TLS_KEY: tls.keyFile },
    });
    expect(server.url).toMatch(/^https:/);
    expect((await server.stop()).code).toBe(0);
  });

  it('exits 2 with one line when only one of the two is given', async () => {
    const result = await runDocket(['serve', '--port', '0', '--data', join(dataDir, 'x'), '--tls-cert', tls.certFile]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/tlsKey: give tlsCert and tlsKey .* together, or neither/);
  });

  it('exits 2 naming a file it cannot read', async () => {
    const missing = join(tls.dir, 'missing.pem');
    const result = await runDocket([
      'serve',
      '--port',
      '0',
      '--data',
      join(dataDir, 'y'),
      '--tls-cert',
      missing,
      '--tls-key',
      tls.keyFile,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`tlsCert: cannot read ${missing}`);
  });
});
