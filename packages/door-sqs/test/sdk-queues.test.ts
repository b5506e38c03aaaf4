/**
 * The queue actions through @aws-sdk/client-sqs (AWS JSON 1.0) against a real `docket serve
 * --sqs-port`: CreateQueue's idempotency and refusals, FIFO queues' type and attributes, GetQueueUrl, ListQueues
 * with prefix and pages, attributes and counts, tags, purge, delete, dead-letter sources.
 */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshQueue, rejection, sqsServerPerFile } from './support/sqs-server.ts';

const sqs = sqsServerPerFile();
let client: SQSClient;
let endpoint: string;
beforeAll(async () => {
  client = await sqs.client();
  endpoint = await sqs.endpoint();
});

async function create(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error('no QueueUrl');
  return QueueUrl;
}

async function attributes(QueueUrl: string): Promise<Record<string, string>> {
  return (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
}

describe('SQS door: queues', () => {
  test('CreateQueue answers the queue URL on the default account, again for the same attributes', async () => {
    const name = freshQueue('create');
    const url = await create(name, { VisibilityTimeout: '7' });
    expect(url).toBe(`${endpoint}/000000000000/${name}`);
    expect(await create(name, { VisibilityTimeout: '7' })).toBe(url);
    expect(await create(name)).toBe(url);
    const err = await rejection(create(name, { VisibilityTimeout: '8' }));
    expect(err.name).toBe('QueueNameExists');
    expect(err.Code).toBe('QueueAlreadyExists');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test('a FIFO queue needs FifoQueue=true and a .fifo name, reports its FIFO attributes, and keeps its type', async () => {
    const name = `${freshQueue('f')}.fifo`;
    const url = await create(name, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    expect(await attributes(url)).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
    expect(await create(name, { FifoQueue: 'true', ContentBasedDeduplication: 'true' })).toBe(url);
    const byName = await rejection(create(`${freshQueue('f')}.fifo`));
    expect(byName.name).toBe('InvalidParameterValue');
    const byAttribute = await rejection(create(freshQueue('f'), { FifoQueue: 'true' }));
    expect(byAttribute.name).toBe('InvalidParameterValue');
    expect(byAttribute.message).toContain('must end with .fifo suffix');
    const onStandard = await rejection(create(freshQueue('standard'), { ContentBasedDeduplication: 'true' }));
    expect([onStandard.name, onStandard.message]).toEqual([
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    ]);
    const badScope = await rejection(
      create(`${freshQueue('f')}.fifo`, { FifoQueue: 'true', DeduplicationScope: 'group' }),
    );
    expect(badScope.name).toBe('InvalidAttributeValue');
    const retype = await rejection(
      client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: 'false' } })),
    );
    expect(retype.name).toBe('InvalidAttributeValue');
    await client.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DeduplicationScope: 'messageGroup' } }),
    );
    expect((await attributes(url))['DeduplicationScope']).toBe('messageGroup');
    expect(await create(freshQueue('standard'), { FifoQueue: 'false' })).toContain('/000000000000/');
  });

  test('a dead-letter queue must be of the same type as its source', async () => {
    const standardDlq = await create(freshQueue('dlq'));
    const fifoDlq = await create(`${freshQueue('dlq')}.fifo`, { FifoQueue: 'true' });
    const arnOf = async (url: string) => (await attributes(url))['QueueArn'] ?? '';
    const policy = async (url: string) => JSON.stringify({ deadLetterTargetArn: await arnOf(url), maxReceiveCount: 2 });
    const mixed = await rejection(
      create(`${freshQueue('src')}.fifo`, { FifoQueue: 'true', RedrivePolicy: await policy(standardDlq) }),
    );
    expect(mixed.name).toBe('InvalidParameterValue');
    expect(mixed.message).toContain('same type');
    const fine = await create(`${freshQueue('src')}.fifo`, { FifoQueue: 'true', RedrivePolicy: await policy(fifoDlq) });
    expect(fine).toContain('.fifo');
  });

  test.each([
    ['a name with a dot', 'a.b', {}, 'InvalidParameterValue'],
    ['a name over 80 characters', 'x'.repeat(81), {}, 'InvalidParameterValue'],
    ['an unknown attribute', 'ok-name', { Colour: 'red' }, 'InvalidAttributeName'],
    ['a read-only attribute', 'ok-name', { QueueArn: 'x' }, 'InvalidAttributeName'],
    ['a visibility timeout out of range', 'ok-name', { VisibilityTimeout: '43201' }, 'InvalidAttributeValue'],
    ['a message size below 1 KiB', 'ok-name', { MaximumMessageSize: '1023' }, 'InvalidAttributeValue'],
    ['a redrive policy that is not JSON', 'ok-name', { RedrivePolicy: '{' }, 'InvalidAttributeValue'],
    [
      'a redrive policy to a missing queue',
      'ok-name',
      { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":3}' },
      'InvalidParameterValue',
    ],
  ])('CreateQueue refuses %s', async (_what, name, attrs, code) => {
    const err = await rejection(create(`${freshQueue('bad')}-${name}`.slice(0, name.length > 80 ? 200 : 80), attrs));
    expect(err.name).toBe(code);
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test('GetQueueUrl finds a queue and refuses a missing one or another account', async () => {
    const name = freshQueue('url');
    const url = await create(name);
    expect((await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
    expect((await rejection(client.send(new GetQueueUrlCommand({ QueueName: freshQueue('none') })))).name).toBe(
      'QueueDoesNotExist',
    );
    const other = await rejection(
      client.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '111122223333' })),
    );
    expect(other.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
  });

  test('ListQueues filters by prefix and pages with MaxResults and NextToken', async () => {
    const prefix = freshQueue('list');
    const names = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `${prefix}-${suffix}`);
    for (const name of names) await create(name);
    const all = await client.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(all.QueueUrls).toEqual(names.map((name) => `${endpoint}/000000000000/${name}`));
    expect(all.NextToken).toBeUndefined();
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }));
      expect((page.QueueUrls ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    expect(seen).toEqual(all.QueueUrls);
    expect((await client.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-zzz` }))).QueueUrls ?? []).toEqual(
      [],
    );
    const bad = await rejection(client.send(new ListQueuesCommand({ MaxResults: 1001 })));
    expect(bad.name).toBe('InvalidParameterValue');
  });

  test('attributes: defaults, set, and the approximate counts of visible, in-flight and delayed messages', async () => {
    const url = await create(freshQueue('attrs'));
    const before = await attributes(url);
    expect(before).toMatchObject({
      VisibilityTimeout: '30',
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      ApproximateNumberOfMessages: '0',
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${url.split('/').at(-1) ?? ''}`,
    });
    await client.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { VisibilityTimeout: '45', MessageRetentionPeriod: '600', Policy: '{"Version":"2012-10-17"}' },
      }),
    );
    const after = await attributes(url);
    expect(after).toMatchObject({
      VisibilityTimeout: '45',
      MessageRetentionPeriod: '600',
      Policy: '{"Version":"2012-10-17"}',
    });
    for (const body of ['one', 'two']) await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(await attributes(url)).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '1',
    });
    const only = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(only.Attributes).toEqual({ VisibilityTimeout: '45' });
    const unknown = await rejection(
      client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as 'All'] })),
    );
    expect(unknown.name).toBe('InvalidAttributeName');
    const bad = await rejection(
      client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '901' } })),
    );
    expect(bad.name).toBe('InvalidAttributeValue');
    expect((await attributes(url))['DelaySeconds']).toBe('0');
  });

  test('tags: at creation, added, removed and listed', async () => {
    const url =
      (await client.send(new CreateQueueCommand({ QueueName: freshQueue('tags'), tags: { team: 'a' } }))).QueueUrl ??
      '';
    await client.send(new TagQueueCommand({ QueueUrl: url, Tags: { env: 'test', cost: '1' } }));
    await client.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['cost'] }));
    expect((await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'a', env: 'test' });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect((await rejection(client.send(new TagQueueCommand({ QueueUrl: url, Tags: tooMany })))).name).toBe(
      'InvalidParameterValue',
    );
  });

  test('PurgeQueue empties a queue, DeleteQueue removes it', async () => {
    const url = await create(freshQueue('purge'));
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await client.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await attributes(url))['ApproximateNumberOfMessages']).toBe('0');
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect((await rejection(attributes(url))).name).toBe('QueueDoesNotExist');
    expect((await rejection(client.send(new DeleteQueueCommand({ QueueUrl: url })))).name).toBe('QueueDoesNotExist');
    expect((await rejection(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name).toBe(
      'QueueDoesNotExist',
    );
  });

  test('ListDeadLetterSourceQueues lists the queues whose RedrivePolicy names the queue', async () => {
    const dlqName = freshQueue('dlq');
    const dlq = await create(dlqName);
    const policy = JSON.stringify({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlqName}`,
      maxReceiveCount: '3',
    });
    const source = await create(freshQueue('src'), { RedrivePolicy: policy });
    expect((await attributes(source))['RedrivePolicy']).toBe(
      JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlqName}`, maxReceiveCount: 3 }),
    );
    expect((await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([source]);
    expect((await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: source }))).queueUrls).toEqual([]);
  });
});
