/**
 * The query protocol (form-encoded `Action=…`, XML answers) against a real server: Debian's AWS
 * CLI (`/usr/bin/aws`, whose botocore speaks the query protocol to SQS) sending, receiving and
 * deleting, and raw requests checked against the XML the SQS API reference documents.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshQueue, sqsServerPerFile } from './support/sqs-server.ts';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';

const sqs = sqsServerPerFile();
let endpoint: string;
beforeAll(async () => {
  endpoint = await sqs.endpoint();
});

async function form(params: Record<string, string>, path = '/'): Promise<{ status: number; text: string }> {
  const response = await fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return { status: response.status, text: await response.text() };
}

function xmlValue(text: string, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(text)?.[1];
}

const haveCli = existsSync(AWS);
if (!haveCli && process.env['CI'] === 'true') throw new Error(`${AWS} is missing: .ci/run installs Debian's awscli`);
if (!haveCli) console.warn(`skipping the AWS CLI tests: ${AWS} is missing (apt-get install awscli)`);

async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run(AWS, ['--endpoint-url', endpoint, '--output', 'json', 'sqs', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'docket',
      AWS_SECRET_ACCESS_KEY: 'unchecked',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

describe.skipIf(!haveCli)('SQS door: the AWS CLI (query protocol)', () => {
  test('create-queue, send-message, receive-message, delete-message, get-queue-attributes', async () => {
    const name = freshQueue('cli');
    const { QueueUrl } = (await aws('create-queue', '--queue-name', name, '--attributes', 'VisibilityTimeout=20')) as {
      QueueUrl: string;
    };
    expect(QueueUrl).toBe(`${endpoint}/000000000000/${name}`);
    const sent = (await aws(
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      'from the cli',
      '--message-attributes',
      '{"SellerName":{"DataType":"String","StringValue":"Example Store"}}',
    )) as { MessageId: string; MD5OfMessageAttributes: string };
    expect(sent.MD5OfMessageAttributes).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
    const received = (await aws(
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--attribute-names',
      'All',
      '--message-attribute-names',
      'All',
    )) as {
      Messages: {
        MessageId: string;
        Body: string;
        ReceiptHandle: string;
        Attributes: Record<string, string>;
        MessageAttributes: unknown;
      }[];
    };
    expect(received.Messages).toHaveLength(1);
    const [message] = received.Messages;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'from the cli',
      MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
    });
    expect(message?.Attributes['ApproximateReceiveCount']).toBe('1');
    const attributes = (await aws('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'All')) as {
      Attributes: Record<string, string>;
    };
    expect(attributes.Attributes).toMatchObject({
      VisibilityTimeout: '20',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    await aws('delete-message', '--queue-url', QueueUrl, '--receipt-handle', message?.ReceiptHandle ?? '');
    expect(await aws('receive-message', '--queue-url', QueueUrl)).toEqual({});
    const listed = (await aws('list-queues', '--queue-name-prefix', name)) as { QueueUrls: string[] };
    expect(listed.QueueUrls).toEqual([QueueUrl]);
  });

  test('an error reaches the CLI with its SQS code', async () => {
    const failed = await aws('get-queue-url', '--queue-name', freshQueue('missing')).then(
      () => '',
      (err: unknown) => String((err as { stderr?: string }).stderr),
    );
    expect(failed).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });
});

describe('SQS door: query protocol answers as documented', () => {
  test('CreateQueue, SendMessage, ReceiveMessage and DeleteMessage answer the documented XML', async () => {
    const name = freshQueue('xml');
    const created = await form({
      Action: 'CreateQueue',
      QueueName: name,
      'Attribute.1.Name': 'DelaySeconds',
      'Attribute.1.Value': '0',
    });
    expect(created.status).toBe(200);
    expect(created.text).toMatch(
      new RegExp(
        `^<\\?xml version="1.0"\\?><CreateQueueResponse ${NS}><CreateQueueResult><QueueUrl>${endpoint}/000000000000/${name}</QueueUrl></CreateQueueResult><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></CreateQueueResponse>$`,
      ),
    );
    const url = `${endpoint}/000000000000/${name}`;
    const sent = await form({ Action: 'SendMessage', QueueUrl: url, MessageBody: 'a & <b>' });
    expect(xmlValue(sent.text, 'MD5OfMessageBody')).toBe(createHash('md5').update('a & <b>').digest('hex'));
    expect(sent.text).toContain('<SendMessageResponse');
    expect(xmlValue(sent.text, 'MessageId')).toMatch(/^\S+$/);

    // Posted to the queue URL, without QueueUrl, as older SDKs do.
    const received = await form(
      { Action: 'ReceiveMessage', 'AttributeName.1': 'ApproximateReceiveCount' },
      `/000000000000/${name}`,
    );
    expect(received.status).toBe(200);
    expect(received.text).toContain('<ReceiveMessageResult><Message><MessageId>');
    expect(received.text).toContain('<Body>a &#38; &#60;b&#62;</Body>');
    expect(received.text).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    const handle = xmlValue(received.text, 'ReceiptHandle') ?? '';
    const deleted = await form({ Action: 'DeleteMessage', QueueUrl: url, ReceiptHandle: handle });
    expect(deleted.text).toMatch(
      new RegExp(`^<\\?xml version="1.0"\\?><DeleteMessageResponse ${NS}><ResponseMetadata>`),
    );
    const empty = await form({ Action: 'ReceiveMessage', QueueUrl: url });
    expect(empty.text).toContain('<ReceiveMessageResult></ReceiveMessageResult>');

    const batch = await form({
      Action: 'SendMessageBatch',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'ok',
      'SendMessageBatchRequestEntry.1.MessageBody': 'x',
      'SendMessageBatchRequestEntry.2.Id': 'bad',
      'SendMessageBatchRequestEntry.2.MessageBody': 'y',
      'SendMessageBatchRequestEntry.2.DelaySeconds': '901',
    });
    expect(batch.text).toContain('<SendMessageBatchResultEntry><Id>ok</Id>');
    expect(batch.text).toContain(
      '<BatchResultErrorEntry><Id>bad</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>',
    );
  });

  test('a GET with the parameters in the query string is answered too', async () => {
    const response = await fetch(`${endpoint}/?Action=ListQueues&QueueNamePrefix=${freshQueue('nothing')}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(
      new RegExp(`<ListQueuesResponse ${NS}><ListQueuesResult></ListQueuesResult>`),
    );
  });
});
