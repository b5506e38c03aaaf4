/**
 * The SQS door with Docket's authentication on, against a real `docket serve --sqs-port 0`: the
 * real `@aws-sdk/client-sqs` with a Docket token as both access key id and secret access key
 * works within the token's grants; a wrong secret is SignatureDoesNotMatch, an unknown or
 * revoked token InvalidClientTokenId, an unsigned request MissingAuthenticationToken, an old
 * signing time RequestExpired, a call beyond the grants AccessDenied (each in both protocols'
 * shapes, 4xx, changing nothing); the query protocol through Debian's AWS CLI and through raw
 * requests signed by the SDK's own signer (header and presigned forms). Each refusal counts in
 * docket_auth_failures_total and spends the address's budget: past the burst, OverLimit.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './support/node-sha256.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  killAllServers,
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../../../test/support/server-process.ts';
import { freshQueue, rejection } from './support/sqs-server.ts';

const ADMIN = randomBytes(24).toString('hex');
const AWS = '/usr/bin/aws';
const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';

let server: ServerProcess;
let dataDir: string;
let endpoint: string;

beforeAll(async () => {
  dataDir = await makeDataDir('docket-sqs-auth-');
  server = await startServer({ dataDir, args: ['--sqs-port', '0'], env: { DOCKET_ADMIN_TOKEN: ADMIN } });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = /SQS door listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output());
    if (match?.[1] !== undefined) {
      endpoint = match[1];
      break;
    }
    if (Date.now() > deadline) throw new Error(`no SQS door line in:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

afterAll(async () => {
  await killAllServers();
  await removeDataDir(dataDir);
});

function sqs(accessKeyId: string, secretAccessKey = accessKeyId, extra: { systemClockOffset?: number } = {}) {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    ...extra,
  });
}

async function mint(grants: readonly string[]): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${server.url}/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'sqs', grants }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { token: { id: string }; secret: string };
  return { id: body.token.id, secret: body.secret };
}

async function waiting(queue: string): Promise<number> {
  const response = await fetch(`${server.url}/v1/queues/${queue}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  if (response.status === 404) return 0;
  return ((await response.json()) as { queue: { counts: { waiting: number } } }).queue.counts.waiting;
}

const queueUrl = (name: string): string => `${endpoint}/000000000000/${name}`;

/** A query-protocol request signed by the SDK's signer, sent with fetch: header form, or presigned GET. */
async function signedQuery(
  token: string,
  params: Record<string, string>,
  form: 'header' | 'presigned' = 'header',
  secret = token,
): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: token, secretAccessKey: secret },
    region: 'us-east-1',
    service: 'sqs',
    sha256: NodeSha256,
    uriEscapePath: true,
  });
  const all = { Version: '2012-11-05', ...params };
  const base = { protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/' };
  if (form === 'presigned') {
    const presigned = await signer.presign(
      { ...base, method: 'GET', query: all, headers: { host: url.host } },
      { expiresIn: 60 },
    );
    const query = Object.entries(presigned.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const response = await fetch(`${endpoint}/?${query}`);
    return { status: response.status, text: await response.text() };
  }
  const body = new URLSearchParams(all).toString().replace(/\+/g, '%20');
  const signed = await signer.sign({
    ...base,
    method: 'POST',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const response = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body });
  return { status: response.status, text: await response.text() };
}

describe('the AWS SDK with a Docket token as its credentials', () => {
  test('create, send, receive and delete within the grants', async () => {
    const queue = freshQueue('ok');
    const token = await mint([`admin:${queue}`, `produce:${queue}`, `consume:${queue}`, `read:${queue}`]);
    const client = sqs(token.secret);
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: queue }));
    expect(QueueUrl).toBe(queueUrl(queue));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'signed' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(Messages?.[0]?.Body).toBe('signed');
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
    expect(await waiting(queue)).toBe(0);
  });

  test('the bootstrap admin token works as credentials too', async () => {
    const queue = freshQueue('admin');
    await sqs(ADMIN).send(new CreateQueueCommand({ QueueName: queue }));
    await sqs(ADMIN).send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'x' }));
    expect(await waiting(queue)).toBe(1);
  });

  test('a wrong secret is SignatureDoesNotMatch (403) and sends nothing', async () => {
    const queue = freshQueue('wrong-secret');
    const token = await mint([`produce:${queue}`]);
    const err = await rejection(
      sqs(token.secret, 'not the token').send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'x' })),
    );
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(await waiting(queue)).toBe(0);
  });

  test('an unknown or revoked token is InvalidClientTokenId (403)', async () => {
    const queue = freshQueue('unknown');
    const unknown = `dkt_${'0'.repeat(20)}_${'A'.repeat(43)}`;
    const err = await rejection(
      sqs(unknown).send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'x' })),
    );
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.$metadata?.httpStatusCode).toBe(403);

    await sqs(ADMIN).send(new CreateQueueCommand({ QueueName: queue }));
    const token = await mint([`produce:${queue}`]);
    await sqs(token.secret).send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'x' }));
    const revoke = await fetch(`${server.url}/v1/tokens/${token.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(revoke.status).toBe(204);
    const revoked = await rejection(
      sqs(token.secret).send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'y' })),
    );
    expect(revoked.name).toBe('InvalidClientTokenId');
    expect(await waiting(queue)).toBe(1);
  });

  test('a signing time 20 minutes old is RequestExpired (400)', async () => {
    const queue = freshQueue('expired');
    const token = await mint([`produce:${queue}`]);
    const err = await rejection(
      sqs(token.secret, token.secret, { systemClockOffset: -20 * 60 * 1000 }).send(
        new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'x' }),
      ),
    );
    expect(err.name).toBe('RequestExpired');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(await waiting(queue)).toBe(0);
  });

  test('calls beyond the grants are AccessDenied (403) and change nothing; ListQueues shows only readable queues', async () => {
    const mine = freshQueue('mine');
    const other = freshQueue('other');
    await sqs(ADMIN).send(new CreateQueueCommand({ QueueName: mine }));
    await sqs(ADMIN).send(new CreateQueueCommand({ QueueName: other }));
    await sqs(ADMIN).send(new SendMessageCommand({ QueueUrl: queueUrl(mine), MessageBody: 'kept' }));
    const token = await mint([`produce:${mine}`, `read:${mine}`]);
    const client = sqs(token.secret);
    for (const command of [
      new ReceiveMessageCommand({ QueueUrl: queueUrl(mine) }),
      new PurgeQueueCommand({ QueueUrl: queueUrl(mine) }),
      new SendMessageCommand({ QueueUrl: queueUrl(other), MessageBody: 'x' }),
      new CreateQueueCommand({ QueueName: freshQueue('new') }),
    ]) {
      const err = await rejection(client.send(command as SendMessageCommand));
      expect(err.name).toBe('AccessDenied');
      expect(err.$metadata?.httpStatusCode).toBe(403);
    }
    expect(await waiting(mine)).toBe(1);
    expect(await waiting(other)).toBe(0);
    const listed = await client.send(new ListQueuesCommand({}));
    expect(listed.QueueUrls).toEqual([queueUrl(mine)]);
    const none = await mint(['produce:x']);
    expect((await rejection(sqs(none.secret).send(new ListQueuesCommand({})))).name).toBe('AccessDenied');
  });
});

describe('unsigned and malformed requests, in both protocols', () => {
  test('JSON 1.0 without a signature: MissingAuthenticationToken, 403, __type and x-amzn-query-error', async () => {
    const response = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
    expect(((await response.json()) as { __type: string }).__type).toBe('com.amazonaws.sqs#MissingAuthenticationToken');
  });

  test('query protocol without a signature, and with an unreadable one: ErrorResponse XML, 4xx', async () => {
    const unsigned = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(unsigned.status).toBe(403);
    const text = await unsigned.text();
    expect(text).toContain(`<ErrorResponse ${NS}>`);
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
    const garbled = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 nonsense' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toContain('<Code>IncompleteSignature</Code>');
  });
});

describe('the query protocol, signed', () => {
  test('the SDK signer, header form and presigned GET: sends and receives within the grants', async () => {
    const queue = freshQueue('query');
    const token = await mint([`admin:${queue}`, `produce:${queue}`, `consume:${queue}`]);
    expect((await signedQuery(token.secret, { Action: 'CreateQueue', QueueName: queue })).status).toBe(200);
    const sent = await signedQuery(token.secret, {
      Action: 'SendMessage',
      QueueUrl: queueUrl(queue),
      MessageBody: 'a b+c',
    });
    expect(sent.status).toBe(200);
    const received = await signedQuery(
      token.secret,
      { Action: 'ReceiveMessage', QueueUrl: queueUrl(queue) },
      'presigned',
    );
    expect(received.status).toBe(200);
    expect(received.text).toContain('<Body>a b+c</Body>');
  });

  test('a wrong secret is SignatureDoesNotMatch and a call beyond the grants AccessDenied, as ErrorResponse XML', async () => {
    const queue = freshQueue('query-refused');
    const token = await mint([`produce:${queue}`]);
    const wrong = await signedQuery(
      token.secret,
      { Action: 'SendMessage', QueueUrl: queueUrl(queue), MessageBody: 'x' },
      'header',
      'wrong',
    );
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const denied = await signedQuery(token.secret, { Action: 'PurgeQueue', QueueUrl: queueUrl(queue) });
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('<Code>AccessDenied</Code>');
    expect(await waiting(queue)).toBe(0);
  });

  const haveCli = existsSync(AWS);
  if (!haveCli && process.env['CI'] === 'true') throw new Error(`${AWS} is missing: .ci/run installs Debian's awscli`);
  if (!haveCli) console.warn(`skipping the AWS CLI tests: ${AWS} is missing (apt-get install awscli)`);

  async function aws(key: string, secret: string, ...args: string[]): Promise<{ code: number; out: string }> {
    try {
      const { stdout } = await promisify(execFile)(
        AWS,
        ['--endpoint-url', endpoint, '--output', 'json', 'sqs', ...args],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: key,
            AWS_SECRET_ACCESS_KEY: secret,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_PAGER: '',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
        },
      );
      return { code: 0, out: stdout };
    } catch (err) {
      const failed = err as { code?: number; stderr?: string };
      return { code: failed.code ?? -1, out: failed.stderr ?? '' };
    }
  }

  test.skipIf(!haveCli)(
    'the AWS CLI with the token as its keys sends and receives; a wrong secret is refused',
    async () => {
      const queue = freshQueue('cli');
      const token = await mint([`admin:${queue}`, `produce:${queue}`, `consume:${queue}`]);
      expect((await aws(token.secret, token.secret, 'create-queue', '--queue-name', queue)).code).toBe(0);
      const sent = await aws(
        token.secret,
        token.secret,
        'send-message',
        '--queue-url',
        queueUrl(queue),
        '--message-body',
        'cli',
      );
      expect(sent.code).toBe(0);
      const got = await aws(token.secret, token.secret, 'receive-message', '--queue-url', queueUrl(queue));
      expect(JSON.parse(got.out)).toMatchObject({ Messages: [{ Body: 'cli' }] });
      const wrong = await aws(
        token.secret,
        'wrong',
        'send-message',
        '--queue-url',
        queueUrl(queue),
        '--message-body',
        'x',
      );
      expect(wrong.code).not.toBe(0);
      expect(wrong.out).toContain('SignatureDoesNotMatch');
    },
  );
});

/** An unsigned JSON 1.0 ListQueues from `from` (a loopback address no other test uses): its status and body. */
function unsignedFrom(from: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        localAddress: from,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

async function authFailures(reason: string): Promise<number> {
  const scrape = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const line = (await scrape.text())
    .split('\n')
    .find((l) => l.startsWith(`docket_auth_failures_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('failed authentications', () => {
  test('are counted, and past the burst (20) the address gets OverLimit while another is unaffected', async () => {
    const missing = await authFailures('missing');
    const limited = await authFailures('rate_limited');
    for (let i = 0; i < 20; i += 1) {
      expect((await unsignedFrom('127.0.0.5')).body).toContain('MissingAuthenticationToken');
    }
    const over = await unsignedFrom('127.0.0.5');
    expect(over.status).toBe(403);
    expect(over.body).toContain('OverLimit');
    expect((await unsignedFrom('127.0.0.6')).body).toContain('MissingAuthenticationToken');
    expect(await authFailures('missing')).toBe(missing + 21);
    expect(await authFailures('rate_limited')).toBe(limited + 1);
  });
});
