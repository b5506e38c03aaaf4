import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTls, type TestTls } from '../../../test/support/tls.ts';
import { ConfigError } from './errors.ts';
import { loadTlsMaterial } from './tls-files.ts';

let tls: TestTls;
beforeAll(async () => {
  tls = await createTestTls();
});
afterAll(async () => {
  await tls.dispose();
});

async function problemsOf(config: { tlsCert: string; tlsKey: string }): Promise<readonly string[]> {
  const err = await loadTlsMaterial(config).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw new Error('expected a ConfigError');
  expect(err.exitCode).toBe(2);
  return err.problems;
}

describe('loadTlsMaterial', () => {
  it('is undefined without TLS settings', async () => {
    expect(await loadTlsMaterial({})).toBeUndefined();
  });

  it('reads a certificate and its key', async () => {
    const material = await loadTlsMaterial({ tlsCert: tls.certFile, tlsKey: tls.keyFile });
    expect(material).toEqual({ cert: tls.cert, key: tls.key });
  });

  it('names each unreadable file on its own line', async () => {
    const lines = await problemsOf({ tlsCert: join(tls.dir, 'missing.pem'), tlsKey: join(tls.dir, 'gone.key') });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tlsCert: cannot read .*missing\.pem: ENOENT/);
    expect(lines[1]).toMatch(/^tlsKey: cannot read .*gone\.key: ENOENT/);
  });

  it('refuses files that are not a certificate and its key', async () => {
    const junk = join(tls.dir, 'junk.pem');
    await writeFile(junk, 'not a certificate\n');
    expect((await problemsOf({ tlsCert: junk, tlsKey: tls.keyFile }))[0]).toMatch(/^tlsCert: .* are not a PEM/);
    expect((await problemsOf({ tlsCert: tls.certFile, tlsKey: join(tls.dir, 'ca.key') }))[0]).toMatch(/not a PEM/);
  });
});
