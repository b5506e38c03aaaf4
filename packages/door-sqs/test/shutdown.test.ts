/**
 * A graceful shutdown with a long-poll in flight: SIGTERM ends the ReceiveMessage wait at once
 * (it answers with no messages) and the server exits 0 well before the 20 s wait would end. The
 * signal is sent once the wait is parked on the server (its `docket_lease_waiters` gauge).
 */
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, expect, test } from 'vitest';
import { untilLeaseWaiters } from '../../../test/support/lease-waiters.ts';
import { killAllServers, makeDataDir, removeDataDir, startServer } from '../../../test/support/server-process.ts';

let dataDir: string | undefined;

afterAll(async () => {
  await killAllServers();
  if (dataDir !== undefined) await removeDataDir(dataDir);
});

test('SIGTERM ends a 20 s long-poll and the server exits 0 promptly', async () => {
  dataDir = await makeDataDir('docket-sqs-shutdown-');
  const server = await startServer({ dataDir, args: ['--sqs-port', '0'] });
  const endpoint = /SQS door listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
  if (endpoint === undefined) throw new Error(`no SQS door line in:\n${server.output()}`);
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'docket', secretAccessKey: 'unchecked' },
    maxAttempts: 1,
  });
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'shutdown' }));
  const waiting = client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  await untilLeaseWaiters(server.url, 1);
  const started = Date.now();
  const exit = await server.stop('SIGTERM');
  expect(exit.code).toBe(0);
  expect(Date.now() - started).toBeLessThan(5000);
  expect((await waiting).Messages).toBeUndefined();
  client.destroy();
});
