/**
 * The SQS door against the native /v1 path, on one `docket serve --sqs-port 0` (SQLite, a fresh
 * data directory), same run, same machine:
 *
 * - send: `batches` batches of 10 messages, `concurrency` in flight: SendMessageBatch through
 *   @aws-sdk/client-sqs, then `POST /v1/queues/{queue}/jobs` with `{jobs: [10]}` over fetch;
 * - consume: the same messages drained 10 at a time: ReceiveMessage (MaxNumberOfMessages 10)
 *   + DeleteMessageBatch through the SDK, then `POST /v1/lease` (max 10) + `POST /v1/jobs/ack`
 *   (`{items}`) over fetch.
 *
 * Messages per second for each. Not a test and not part of `npm test`; run it on a quiet machine:
 *
 *     npx tsx bench/cases/sqs.ts [batches=2000] [concurrency=16]
 *
 * `measureSqsDoor(options)` is exported for bench/http.ts to call and report in
 * docs/benchmarks.md.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { makeDataDir, removeDataDir, startServer } from '../../test/support/server-process.ts';

export interface SqsBenchOptions {
  readonly batches?: number;
  readonly concurrency?: number;
}

export interface SqsBenchResult {
  readonly messages: number;
  readonly sqsSendPerSec: number;
  readonly nativeSendPerSec: number;
  readonly sqsConsumePerSec: number;
  readonly nativeConsumePerSec: number;
}

const BATCH = 10;
const BODY = 'x'.repeat(200);

async function inParallel(total: number, concurrency: number, work: () => Promise<number>): Promise<number> {
  let done = 0;
  let started = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started += 1;
        const settled = await work();
        done += settled;
      }
    }),
  );
  return Math.round(done / ((performance.now() - start) / 1000));
}

/** Runs `work` (returning how many messages it settled) until `total` messages are settled. */
async function drain(total: number, concurrency: number, work: () => Promise<number>): Promise<number> {
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < total) {
        const settled = await work();
        done += settled;
      }
    }),
  );
  return Math.round(done / ((performance.now() - start) / 1000));
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function measureSqsDoor(options: SqsBenchOptions = {}): Promise<SqsBenchResult> {
  const batches = options.batches ?? 2000;
  const concurrency = options.concurrency ?? 16;
  const messages = batches * BATCH;
  const dataDir = await makeDataDir('docket-bench-sqs-');
  const server = await startServer({ dataDir, args: ['--sqs-port', '0'], env: { DOCKET_LOG_LEVEL: 'warn' } });
  try {
    const endpoint = /SQS door listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
    if (endpoint === undefined) throw new Error(`no SQS door line in:\n${server.output()}`);
    const client = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'unchecked' },
    });
    const QueueUrl = (await client.send(new CreateQueueCommand({ QueueName: 'bench-sqs' }))).QueueUrl ?? '';
    const entries = Array.from({ length: BATCH }, (_, i) => ({ Id: `m${i}`, MessageBody: BODY }));
    const sqsSendPerSec = await inParallel(batches, concurrency, async () => {
      await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
      return BATCH;
    });
    const sqsConsumePerSec = await drain(messages, concurrency, async () => {
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: BATCH }));
      if (Messages.length === 0) return 0;
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      return Messages.length;
    });

    const jobs = { jobs: Array.from({ length: BATCH }, () => ({ data: BODY })) };
    const nativeSendPerSec = await inParallel(batches, concurrency, async () => {
      await post(`${server.url}/v1/queues/bench-native/jobs`, jobs);
      return BATCH;
    });
    const nativeConsumePerSec = await drain(messages, concurrency, async () => {
      const leased = (await post(`${server.url}/v1/lease`, { queues: ['bench-native'], max: BATCH })) as {
        jobs: { id: string; leaseToken: string }[];
      };
      if (leased.jobs.length === 0) return 0;
      await post(`${server.url}/v1/jobs/ack`, {
        items: leased.jobs.map((job) => ({ id: job.id, lease: job.leaseToken })),
      });
      return leased.jobs.length;
    });
    client.destroy();
    return { messages, sqsSendPerSec, nativeSendPerSec, sqsConsumePerSec, nativeConsumePerSec };
  } finally {
    await server.stop('SIGTERM');
    await removeDataDir(dataDir);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [batches, concurrency] = process.argv.slice(2).map(Number);
  const result = await measureSqsDoor({
    ...(batches === undefined || Number.isNaN(batches) ? {} : { batches }),
    ...(concurrency === undefined || Number.isNaN(concurrency) ? {} : { concurrency }),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
