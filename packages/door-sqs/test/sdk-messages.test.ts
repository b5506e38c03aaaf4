/**
 * The message actions through @aws-sdk/client-sqs (which checks every MD5OfMessageBody it is
 * given) against a real `docket serve --sqs-port`: attributes and their digests, system
 * attributes, delays, size limits, long-polls, visibility expiry and changes, stale and foreign
 * receipt handles, batch partial failures, and one queue shared with the native /v1 API.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshQueue, rejection, sqsServerPerFile } from './support/sqs-server.ts';

const sqs = sqsServerPerFile();
let client: SQSClient;
beforeAll(async () => {
  client = await sqs.client();
});

async function create(attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: freshQueue('m'), Attributes: attributes }),
  );
  if (QueueUrl === undefined) throw new Error('no QueueUrl');
  return QueueUrl;
}

async function receive(
  QueueUrl: string,
  extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {},
): Promise<Message[]> {
  return (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }))).Messages ?? [];
}

async function count(
  QueueUrl: string,
  name: 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible',
): Promise<number> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [name] }));
  return Number(Attributes?.[name]);
}

function handleOf(message: Message | undefined): string {
  if (message?.ReceiptHandle === undefined) throw new Error('no message');
  return message.ReceiptHandle;
}

describe('SQS door: send and receive', () => {
  test('a message keeps its body and attributes, with the digests SQS computes', async () => {
    const url = await create();
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'héllo ✓',
        MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
        },
      }),
    );
    expect(sent.MD5OfMessageAttributes).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    const [message] = await receive(url, { MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'héllo ✓',
      MD5OfBody: sent.MD5OfMessageBody,
      MD5OfMessageAttributes: 'cd28f3b68aeee4b2eac9c66f2f694b58',
      MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
    });
    expect(message?.Attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SenderId: '000000000000',
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(Number(message?.Attributes?.SentTimestamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  test('Binary and Number attributes, and MessageAttributeNames selecting by name and prefix', async () => {
    const url = await create();
    const attributes = {
      'a.one': { DataType: 'Number', StringValue: '1.5' },
      'a.two': { DataType: 'String.custom', StringValue: 'x' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    };
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageAttributes: attributes }),
    );
    const [first] = await receive(url, { MessageAttributeNames: ['a.*'], VisibilityTimeout: 0 });
    expect(Object.keys(first?.MessageAttributes ?? {}).sort()).toEqual(['a.one', 'a.two']);
    expect(first?.MD5OfMessageAttributes).not.toBe(sent.MD5OfMessageAttributes);
    const [all] = await receive(url, { MessageAttributeNames: ['All'], WaitTimeSeconds: 5 });
    expect(all?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(all?.MessageAttributes?.['blob']?.BinaryValue).toEqual(new Uint8Array([0, 1, 2, 255]));
    const [none] = await receive(url, { VisibilityTimeout: 0 });
    expect(none).toBeUndefined();
  });

  test.each([
    ['an invalid character in the body', { MessageBody: 'a\u0000b' }, 'InvalidMessageContents'],
    ['an empty body', { MessageBody: '' }, 'MissingParameter'],
    ['a delay over 15 minutes', { MessageBody: 'x', DelaySeconds: 901 }, 'InvalidParameterValue'],
    [
      'a reserved attribute name',
      { MessageBody: 'x', MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'v' } } },
      'InvalidParameterValue',
    ],
    [
      'an attribute without a value',
      { MessageBody: 'x', MessageAttributes: { a: { DataType: 'String' } } },
      'InvalidParameterValue',
    ],
    [
      'a Number attribute that is not a number',
      { MessageBody: 'x', MessageAttributes: { a: { DataType: 'Number', StringValue: 'one' } } },
      'InvalidParameterValue',
    ],
    [
      'a FIFO deduplication id on a standard queue',
      { MessageBody: 'x', MessageDeduplicationId: 'd' },
      'InvalidParameterValue',
    ],
  ])('SendMessage refuses %s', async (_what, input, code) => {
    const url = await create();
    const err = await rejection(client.send(new SendMessageCommand({ QueueUrl: url, ...input })));
    expect(err.name).toBe(code);
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(await count(url, 'ApproximateNumberOfMessages')).toBe(0);
  });

  test('MaximumMessageSize counts the body and the attributes', async () => {
    const url = await create({ MaximumMessageSize: '1024' });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1024) }));
    const over = await rejection(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })));
    expect(over.name).toBe('InvalidParameterValue');
    const withAttribute = await rejection(
      client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x'.repeat(1000),
          MessageAttributes: { name: { DataType: 'String', StringValue: 'y'.repeat(30) } },
        }),
      ),
    );
    expect(withAttribute.name).toBe('InvalidParameterValue');
  });

  test('DelaySeconds (the message, else the queue) keeps a message invisible until due', async () => {
    const url = await create({ DelaySeconds: '1' });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue delay' }));
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'no delay', DelaySeconds: 0 }));
    expect((await receive(url)).map((m) => m.Body)).toEqual(['no delay']);
    const later = await receive(url, { WaitTimeSeconds: 5 });
    expect(later.map((m) => m.Body)).toEqual(['queue delay']);
  });

  test('a long-poll returns as soon as a message arrives, and empty after WaitTimeSeconds', async () => {
    const url = await create();
    const started = Date.now();
    const waiting = receive(url, { WaitTimeSeconds: 10 });
    setTimeout(() => void client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' })), 300);
    expect((await waiting).map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(5000);
    const emptyStart = Date.now();
    expect(await receive(url, { WaitTimeSeconds: 1 })).toEqual([]);
    expect(Date.now() - emptyStart).toBeGreaterThanOrEqual(900);
    const bad = await rejection(receive(url, { WaitTimeSeconds: 21 }));
    expect(bad.name).toBe('InvalidParameterValue');
    expect((await rejection(receive(url, { MaxNumberOfMessages: 11 }))).name).toBe('InvalidParameterValue');
  });

  test('a message not deleted within its visibility timeout is received again, counted', async () => {
    const url = await create({ VisibilityTimeout: '1' });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const [first] = await receive(url);
    expect(await receive(url)).toEqual([]);
    const [second] = await receive(url, {
      WaitTimeSeconds: 5,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    expect(second?.MessageId).toBe(first?.MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);

    // The first receive's handle is stale: the delete succeeds and deletes nothing, as SQS documents.
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handleOf(first) }));
    expect(await count(url, 'ApproximateNumberOfMessagesNotVisible')).toBe(1);
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handleOf(second) }));
    expect(await count(url, 'ApproximateNumberOfMessagesNotVisible')).toBe(0);
    // Deleting again with the same handle is still a success.
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handleOf(second) }));
  });

  test('ChangeMessageVisibility extends a lease, 0 makes the message visible at once, a stale handle is refused', async () => {
    const url = await create({ VisibilityTimeout: '1' });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'v' }));
    const [message] = await receive(url);
    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handleOf(message), VisibilityTimeout: 30 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await receive(url)).toEqual([]);
    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handleOf(message), VisibilityTimeout: 0 }),
    );
    const [again] = await receive(url);
    expect(again?.MessageId).toBe(message?.MessageId);
    const stale = await rejection(
      client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handleOf(message), VisibilityTimeout: 5 }),
      ),
    );
    expect(stale.name).toBe('MessageNotInflight');
    expect(stale.Code).toBe('AWS.SimpleQueueService.MessageNotInflight');
  });

  test('a receipt handle that is not one, or is another queue’s, is ReceiptHandleIsInvalid', async () => {
    const a = await create();
    const b = await create();
    await client.send(new SendMessageCommand({ QueueUrl: a, MessageBody: 'a' }));
    const [message] = await receive(a);
    for (const ReceiptHandle of ['not a handle', 'aGVsbG8', handleOf(message)]) {
      const err = await rejection(client.send(new DeleteMessageCommand({ QueueUrl: b, ReceiptHandle })));
      expect(err.name).toBe('ReceiptHandleIsInvalid');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
    expect(await count(a, 'ApproximateNumberOfMessagesNotVisible')).toBe(1);
  });
});

describe('SQS door: batches', () => {
  test('SendMessageBatch: the valid entries are sent, the others fail one by one', async () => {
    const url = await create();
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok-1', MessageBody: 'one' },
          { Id: 'bad', MessageBody: 'x', DelaySeconds: 1000 },
          { Id: 'ok_2', MessageBody: 'two', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'bad-body', MessageBody: '\u0001' },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(['ok-1', 'ok_2']);
    expect(result.Successful?.[1]?.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' }),
      expect.objectContaining({ Id: 'bad-body', SenderFault: true, Code: 'InvalidMessageContents' }),
    ]);
    expect((await receive(url)).map((m) => m.Body).sort()).toEqual(['one', 'two']);
  });

  test.each([
    ['no entries', [], 'EmptyBatchRequest'],
    [
      '11 entries',
      Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })),
      'TooManyEntriesInBatchRequest',
    ],
    [
      'a repeated id',
      [
        { Id: 'a', MessageBody: 'x' },
        { Id: 'a', MessageBody: 'y' },
      ],
      'BatchEntryIdsNotDistinct',
    ],
    ['an invalid id', [{ Id: 'a b', MessageBody: 'x' }], 'InvalidBatchEntryId'],
    [
      'more than 1 MiB in all',
      Array.from({ length: 2 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x'.repeat(600_000) })),
      'BatchRequestTooLong',
    ],
  ])('SendMessageBatch with %s is refused whole', async (_what, Entries, code) => {
    const url = await create();
    const err = await rejection(client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })));
    expect(err.name).toBe(code);
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(await count(url, 'ApproximateNumberOfMessages')).toBe(0);
  });

  test('DeleteMessageBatch and ChangeMessageVisibilityBatch settle the valid handles and fail the others', async () => {
    const url = await create();
    await client.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })) }),
    );
    const messages = await receive(url);
    expect(messages).toHaveLength(3);
    const [a, b, c] = messages;
    const visibility = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'c', ReceiptHandle: handleOf(c), VisibilityTimeout: 0 },
          { Id: 'junk', ReceiptHandle: 'junk', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(visibility.Successful).toEqual([{ Id: 'c' }]);
    expect(visibility.Failed).toEqual([
      expect.objectContaining({ Id: 'junk', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
    ]);
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', ReceiptHandle: handleOf(a) },
          { Id: 'junk', ReceiptHandle: 'junk' },
          { Id: 'b', ReceiptHandle: handleOf(b) },
        ],
      }),
    );
    expect(deleted.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(deleted.Failed).toEqual([expect.objectContaining({ Id: 'junk', Code: 'ReceiptHandleIsInvalid' })]);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['c']);
    expect(await count(url, 'ApproximateNumberOfMessages')).toBe(0);
  });
});

describe('SQS door: one queue with the native API', () => {
  test('a job enqueued through /v1 is received through SQS, and an SQS message is leased through /v1', async () => {
    const url = await create();
    const queue = url.split('/').at(-1) ?? '';
    const base = sqs.served.server.url;
    const enqueued = await fetch(`${base}/v1/queues/${queue}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { hello: 'native' } }),
    });
    expect(enqueued.status).toBe(201);
    const [message] = await receive(url);
    expect(message?.Body).toBe('{"hello":"native"}');
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handleOf(message) }));

    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'from sqs' }));
    const leased = await fetch(`${base}/v1/lease`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queues: [queue] }),
    });
    const body = (await leased.json()) as { jobs: { encoding: string; data: string }[] };
    expect(body.jobs).toHaveLength(1);
    expect(body.jobs[0]?.encoding).toBe('bytes');
    expect(Buffer.from(body.jobs[0]?.data ?? '', 'base64').toString('utf8')).toBe('from sqs');
  });
});
