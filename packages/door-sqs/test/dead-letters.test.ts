/**
 * Dead-letter queues and redrive through @aws-sdk/client-sqs against a real server: a message
 * received maxReceiveCount times without a delete moves to the RedrivePolicy's queue, keeping
 * its MessageId, body and attributes; StartMessageMoveTask moves it back. And sqs-consumer, the
 * most used SQS worker library, running a handler over a Docket queue.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshQueue, rejection, sqsServerPerFile, until } from './support/sqs-server.ts';

const sqs = sqsServerPerFile();
let client: SQSClient;
beforeAll(async () => {
  client = await sqs.client();
});

const arn = (name: string): string => `arn:aws:sqs:us-east-1:000000000000:${name}`;

async function create(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error('no QueueUrl');
  return QueueUrl;
}

async function receiveOne(QueueUrl: string, waitSeconds = 5): Promise<Message | undefined> {
  const { Messages } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl,
      WaitTimeSeconds: waitSeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages?.[0];
}

async function visible(QueueUrl: string): Promise<number> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
}

describe('SQS door: dead-letter queues', () => {
  test('after maxReceiveCount receives a message moves to the dead-letter queue, and a move task brings it back', async () => {
    const dlqName = freshQueue('dlq');
    const dlq = await create(dlqName);
    const source = await create(freshQueue('source'), {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlqName), maxReceiveCount: 2 }),
    });
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: 'poison',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    const first = await receiveOne(source);
    const second = await receiveOne(source);
    expect([first?.MessageId, second?.MessageId]).toEqual([sent.MessageId, sent.MessageId]);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');

    const dead = await receiveOne(dlq, 10);
    expect(dead).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
    });
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(arn(source.split('/').at(-1) ?? ''));
    expect(await receiveOne(source, 0)).toBeUndefined();

    // Give it back to the DLQ, then redrive the DLQ to where its messages came from.
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: dlq,
        ReceiptHandle: dead?.ReceiptHandle ?? '',
        VisibilityTimeout: 0,
      }),
    );
    const task = await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn(dlqName) }));
    expect(task.TaskHandle).toEqual(expect.any(String));
    await until(async () => ((await visible(source)) === 1 ? true : undefined));
    const back = await receiveOne(source);
    expect([back?.MessageId, back?.Body]).toEqual([sent.MessageId, 'poison']);
    expect(await visible(dlq)).toBe(0);
  });

  test('StartMessageMoveTask refuses a queue that is no dead-letter queue, and a missing one', async () => {
    const plain = freshQueue('plain');
    await create(plain);
    const notDlq = await rejection(client.send(new StartMessageMoveTaskCommand({ SourceArn: arn(plain) })));
    expect(notDlq.name).toBe('InvalidParameterValue');
    const missing = await rejection(
      client.send(new StartMessageMoveTaskCommand({ SourceArn: arn(freshQueue('none')) })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    const badArn = await rejection(client.send(new StartMessageMoveTaskCommand({ SourceArn: 'not-an-arn' })));
    expect(badArn.name).toBe('InvalidParameterValue');
  });
});

describe('SQS door: sqs-consumer', () => {
  test('a Consumer handles every message of a Docket queue and deletes it, retrying a failed one', async () => {
    const url = await create(freshQueue('consumer'), { VisibilityTimeout: '1' });
    const bodies = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    for (let i = 0; i < bodies.length; i += 6) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: bodies.slice(i, i + 6).map((body, j) => ({ Id: `e${i + j}`, MessageBody: body })),
        }),
      );
    }
    const handled: string[] = [];
    let failedOnce = false;
    const consumer = Consumer.create({
      queueUrl: url,
      sqs: client,
      batchSize: 5,
      waitTimeSeconds: 1,
      handleMessage: (message) => {
        if (message.Body === 'job-3' && !failedOnce) {
          failedOnce = true;
          return Promise.reject(new Error('first try fails'));
        }
        handled.push(message.Body ?? '');
        return Promise.resolve(message);
      },
    });
    const errors: Error[] = [];
    consumer.on('error', (err) => errors.push(err));
    consumer.start();
    try {
      await until(() => Promise.resolve(handled.length >= bodies.length ? true : undefined), 15_000);
    } finally {
      consumer.stop({ abort: true });
    }
    expect(errors).toEqual([]);
    expect(failedOnce).toBe(true);
    expect([...handled].sort()).toEqual([...bodies].sort());
    await until(async () => ((await visible(url)) === 0 ? true : undefined));
  });
});
