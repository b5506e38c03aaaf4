/**
 * `docket serve --store postgres://127.0.0.1:5432/test` with no user anywhere (no user in the URL,
 * PGUSER and USER unset, as in a container or a systemd unit) connects as the OS user, as psql
 * does (issue 19, item 7), instead of failing with "no PostgreSQL user name specified".
 */
import { userInfo } from 'node:os';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { backendAvailable, BACKENDS } from '../support/backends.ts';
import { killAllServers, startServer } from '../support/server-process.ts';

const backend = BACKENDS.find((b) => b.name === 'postgres');
if (backend === undefined) throw new Error('test/support/backends.ts lists postgres');
const up = await backendAvailable(backend);

async function roleExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe.skipIf(!up)('postgres URL without a user', () => {
  const namespace = backend.namespace();
  afterAll(async () => {
    await killAllServers();
    await backend.drop(namespace);
  });

  test('connects as the OS user when neither the URL nor PGUSER names one', async () => {
    const osUser = userInfo().username;
    const env = { USER: '', LOGNAME: '', PGUSER: '', DOCKET_LOG_LEVEL: 'info' };
    const args = ['--store', `postgres://127.0.0.1:5432/test?schema=${namespace}`];
    if (await roleExists(osUser)) {
      const server = await startServer({ args, env });
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await server.stop();
    } else {
      // No role for this OS user on this server: the refusal names the user that was sent.
      await expect(startServer({ args, env })).rejects.toThrow(`role "${osUser}" does not exist`);
    }
  });
});
