/**
 * FIFO queues through @aws-sdk/client-sqs against a real `docket serve --sqs-port` (SQLite):
 * order within a message group, a group held while one of its messages is in flight, a
 * returned message coming again before its group's later ones, deduplication by id and by
 * content within the window (scoped to the queue or the group), SequenceNumber, the parameters
 * a FIFO send needs and refuses, and SendMessageBatch with per-entry refusals.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
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

async function fifoQueue(attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({
      QueueName: `${freshQueue('fifo')}.fifo`,
      Attributes: { FifoQueue: 'true', ...attributes },
    }),
  );
  if (QueueUrl === undefined) throw new Error('no QueueUrl');
  return QueueUrl;
}

async function send(QueueUrl: string, body: string, group: string, dedup: string = body) {
  return client.send(
    new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }),
  );
}

async function receive(QueueUrl: string, max = 10): Promise<Message[]> {
  const { Messages } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: max,
      MessageSystemAttributeNames: ['All'],
      VisibilityTimeout: 30,
    }),
  );
  return Messages ?? [];
}

async function remove(QueueUrl: string, message: Message | undefined): Promise<void> {
  if (message?.ReceiptHandle === undefined) throw new Error('no message to delete');
  await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
}

const bodies = (messages: readonly Message[]): (string | undefined)[] => messages.map((m) => m.Body);

describe('SQS door: FIFO queues', () => {
  test('each group comes in send order, one message in flight per group', async () => {
    const url = await fifoQueue();
    for (const body of ['a1', 'b1', 'a2', 'b2', 'a3']) await send(url, body, body[0] === 'a' ? 'A' : 'B');
    const first = await receive(url);
    expect(bodies(first).sort()).toEqual(['a1', 'b1']);
    expect(await receive(url)).toEqual([]);
    const a1 = first.find((m) => m.Body === 'a1');
    expect(a1?.Attributes).toMatchObject({ MessageGroupId: 'A', MessageDeduplicationId: 'a1' });
    await remove(url, a1);
    expect(bodies(await receive(url))).toEqual(['a2']);
  });

  test("a message returned to its queue comes again before its group's later ones", async () => {
    const url = await fifoQueue();
    for (const body of ['m1', 'm2', 'm3']) await send(url, body, 'G');
    const [m1] = await receive(url);
    expect(m1?.Body).toBe('m1');
    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m1?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const [again] = await receive(url);
    expect(again?.Body).toBe('m1');
    expect(again?.Attributes?.['ApproximateReceiveCount']).toBe('2');
    await remove(url, again);
    const [m2] = await receive(url);
    expect(m2?.Body).toBe('m2');
  });

  test('SequenceNumber grows with each send and is returned on receive', async () => {
    const url = await fifoQueue();
    const one = await send(url, 's1', 'G');
    const two = await send(url, 's2', 'H');
    expect(one.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(two.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(one.SequenceNumber ?? '0'));
    const received = await receive(url);
    const s1 = received.find((m) => m.Body === 's1');
    expect(s1?.Attributes?.['SequenceNumber']).toBe(one.SequenceNumber);
  });

  test('the same deduplication id within the window is one message, answered with its first MessageId', async () => {
    const url = await fifoQueue();
    const first = await send(url, 'one', 'G', 'd-1');
    const again = await send(url, 'one, sent again', 'H', 'd-1');
    expect(again.MessageId).toBe(first.MessageId);
    const received = await receive(url);
    expect(bodies(received)).toEqual(['one']);
  });

  test('with DeduplicationScope=messageGroup the same id in another group is another message', async () => {
    const url = await fifoQueue({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const first = await send(url, 'x', 'G', 'same');
    const other = await send(url, 'y', 'H', 'same');
    const repeat = await send(url, 'z', 'G', 'same');
    expect(other.MessageId).not.toBe(first.MessageId);
    expect(repeat.MessageId).toBe(first.MessageId);
    expect(bodies(await receive(url)).sort()).toEqual(['x', 'y']);
  });

  test('ContentBasedDeduplication deduplicates by the body', async () => {
    const url = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const first = await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'same body', MessageGroupId: 'G' }),
    );
    const again = await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'same body', MessageGroupId: 'H' }),
    );
    const other = await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'other body', MessageGroupId: 'G' }),
    );
    expect(again.MessageId).toBe(first.MessageId);
    expect(other.MessageId).not.toBe(first.MessageId);
  });

  test("a group id outside Docket's group characters still orders its messages", async () => {
    const url = await fifoQueue();
    for (const body of ['q1', 'q2']) await send(url, body, 'tenant#1(eu)!');
    const [q1] = await receive(url);
    expect(q1?.Attributes?.['MessageGroupId']).toBe('tenant#1(eu)!');
    expect(await receive(url)).toEqual([]);
    await remove(url, q1);
    expect(bodies(await receive(url))).toEqual(['q2']);
  });

  test('a FIFO send needs a group and a deduplication id, and takes no delay of its own', async () => {
    const url = await fifoQueue();
    const noGroup = await rejection(
      client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })),
    );
    expect([noGroup.name, noGroup.message]).toEqual([
      'MissingParameter',
      'The request must contain the parameter MessageGroupId.',
    ]);
    const noDedup = await rejection(
      client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'G' })),
    );
    expect(noDedup.name).toBe('InvalidParameterValue');
    expect(noDedup.message).toContain('ContentBasedDeduplication');
    const delayed = await rejection(
      client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageGroupId: 'G',
          MessageDeduplicationId: 'd',
          DelaySeconds: 5,
        }),
      ),
    );
    expect(delayed.name).toBe('InvalidParameterValue');
    expect(delayed.$metadata?.httpStatusCode).toBe(400);
    expect(await receive(url)).toEqual([]);
  });

  test('SendMessageBatch sends the valid entries in order and refuses the others by id', async () => {
    const url = await fifoQueue();
    const { Successful, Failed } = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'e1', MessageBody: 'b1', MessageGroupId: 'G', MessageDeduplicationId: 'b1' },
          { Id: 'e2', MessageBody: 'b2', MessageDeduplicationId: 'b2' },
          { Id: 'e3', MessageBody: 'b3', MessageGroupId: 'G', MessageDeduplicationId: 'b3' },
        ],
      }),
    );
    expect(Successful?.map((e) => e.Id)).toEqual(['e1', 'e3']);
    expect(Successful?.every((e) => /^\d{20}$/.test(e.SequenceNumber ?? ''))).toBe(true);
    expect(Failed?.map((e) => [e.Id, e.Code, e.SenderFault])).toEqual([['e2', 'MissingParameter', true]]);
    const [b1] = await receive(url);
    expect(b1?.Body).toBe('b1');
    await remove(url, b1);
    expect(bodies(await receive(url))).toEqual(['b3']);
  });
});
