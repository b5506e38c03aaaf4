/**
 * Malformed requests in both protocols against a real server: each gets a 4xx in its
 * protocol's own error shape (JSON: `__type` and `x-amzn-query-error`; query: `<ErrorResponse>`
 * with a `<Code>`), never a 5xx, and changes nothing.
 */
import { connect } from 'node:net';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshQueue, sqsServerPerFile } from './support/sqs-server.ts';

const sqs = sqsServerPerFile();
let endpoint: string;
let queueUrl: string;

async function json(target: string, body: string): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body,
  });
}

async function messages(): Promise<number> {
  const response = await json(
    'AmazonSQS.GetQueueAttributes',
    JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const body = (await response.json()) as { Attributes: Record<string, string> };
  return Number(body.Attributes['ApproximateNumberOfMessages']);
}

beforeAll(async () => {
  endpoint = await sqs.endpoint();
  const name = freshQueue('bad');
  const created = await json('AmazonSQS.CreateQueue', JSON.stringify({ QueueName: name }));
  queueUrl = ((await created.json()) as { QueueUrl: string }).QueueUrl;
});

describe('SQS door: malformed JSON protocol requests', () => {
  const cases: [string, string, () => string, string][] = [
    ['a body that is not JSON', 'SendMessage', () => '{"QueueUrl":', 'MalformedQueryString'],
    ['a JSON array', 'SendMessage', () => '[]', 'MalformedQueryString'],
    ['an unknown action', 'Frobnicate', () => '{}', 'InvalidAction'],
    ['a target of another service', 'DynamoDB_20120810.GetItem', () => '{}', 'InvalidAction'],
    [
      'a QueueUrl that is a number',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: 5, MessageBody: 'x' }),
      'InvalidParameterValue',
    ],
    ['no QueueUrl', 'SendMessage', () => JSON.stringify({ MessageBody: 'x' }), 'MissingParameter'],
    [
      'a QueueUrl that is no URL',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: 'nope', MessageBody: 'x' }),
      'InvalidAddress',
    ],
    [
      'a QueueUrl of another account',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: queueUrl.replace('000000000000', '123456789012'), MessageBody: 'x' }),
      'AWS.SimpleQueueService.NonExistentQueue',
    ],
    [
      'a body that is an object',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, MessageBody: { a: 1 } }),
      'InvalidParameterValue',
    ],
    [
      'a delay that is a string',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: '5' }),
      'InvalidParameterValue',
    ],
    [
      'a fractional delay',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: 1.5 }),
      'InvalidParameterValue',
    ],
    [
      'message attributes that are a string',
      'SendMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: 'a' }),
      'InvalidParameterValue',
    ],
    [
      'an attribute of an unknown type',
      'SendMessage',
      () =>
        JSON.stringify({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageAttributes: { a: { DataType: 'Date', StringValue: '1' } },
        }),
      'InvalidParameterValue',
    ],
    [
      '11 message attributes',
      'SendMessage',
      () =>
        JSON.stringify({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageAttributes: Object.fromEntries(
            Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
          ),
        }),
      'InvalidParameterValue',
    ],
    [
      'a binary attribute that is not base64',
      'SendMessage',
      () =>
        JSON.stringify({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageAttributes: { a: { DataType: 'Binary', BinaryValue: '!!' } },
        }),
      'InvalidParameterValue',
    ],
    [
      'an unknown system attribute',
      'SendMessage',
      () =>
        JSON.stringify({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageSystemAttributes: { Foo: { DataType: 'String', StringValue: 'v' } },
        }),
      'InvalidParameterValue',
    ],
    [
      'batch entries that are not a list',
      'SendMessageBatch',
      () => JSON.stringify({ QueueUrl: queueUrl, Entries: { Id: 'a' } }),
      'InvalidParameterValue',
    ],
    [
      'a batch entry that is a string',
      'SendMessageBatch',
      () => JSON.stringify({ QueueUrl: queueUrl, Entries: ['x'] }),
      'InvalidParameterValue',
    ],
    [
      'attribute names that are not strings',
      'ReceiveMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, AttributeNames: [1] }),
      'InvalidParameterValue',
    ],
    [
      'an unknown system attribute name',
      'ReceiveMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['Colour'] }),
      'InvalidAttributeName',
    ],
    [
      'a negative visibility timeout',
      'ReceiveMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, VisibilityTimeout: -1 }),
      'InvalidParameterValue',
    ],
    [
      'a queue attribute value that is a number',
      'SetQueueAttributes',
      () => JSON.stringify({ QueueUrl: queueUrl, Attributes: { DelaySeconds: 5 } }),
      'InvalidParameterValue',
    ],
    ['no attributes to set', 'SetQueueAttributes', () => JSON.stringify({ QueueUrl: queueUrl }), 'MissingParameter'],
    [
      'a redrive policy to another account',
      'SetQueueAttributes',
      () =>
        JSON.stringify({
          QueueUrl: queueUrl,
          Attributes: {
            RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:x","maxReceiveCount":1}',
          },
        }),
      'InvalidParameterValue',
    ],
    [
      'a redrive policy with maxReceiveCount 0',
      'SetQueueAttributes',
      () =>
        JSON.stringify({
          QueueUrl: queueUrl,
          Attributes: {
            RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:x","maxReceiveCount":0}',
          },
        }),
      'InvalidParameterValue',
    ],
    [
      'a receipt handle that is a number',
      'DeleteMessage',
      () => JSON.stringify({ QueueUrl: queueUrl, ReceiptHandle: 7 }),
      'InvalidParameterValue',
    ],
    [
      'a visibility change with a handle this door never issued',
      'ChangeMessageVisibility',
      () => JSON.stringify({ QueueUrl: queueUrl, ReceiptHandle: 'x' }),
      'ReceiptHandleIsInvalid',
    ],
    [
      'a tag value that is a number',
      'TagQueue',
      () => JSON.stringify({ QueueUrl: queueUrl, Tags: { a: 1 } }),
      'InvalidParameterValue',
    ],
    [
      'a ListQueues NextToken that is no token',
      'ListQueues',
      () => JSON.stringify({ MaxResults: 1, NextToken: '%%%' }),
      'InvalidParameterValue',
    ],
    ['an empty queue name', 'CreateQueue', () => JSON.stringify({ QueueName: '' }), 'MissingParameter'],
  ];

  test.each(cases)('%s', async (_what, action, body, code) => {
    const response = await json(`AmazonSQS.${action}`, body());
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-query-error')).toBe(`${code};Sender`);
    const error = (await response.json()) as { __type: string; message: string };
    expect(error.__type).toMatch(/^com\.amazonaws\.sqs#\w+$/);
    expect(error.message).toEqual(expect.any(String));
    expect(await messages()).toBe(0);
  });

  test('a body over the limit is 413 in the JSON shape, answered from its declared length', async () => {
    const { port } = new URL(endpoint);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n' +
            `X-Amz-Target: AmazonSQS.SendMessage\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n{"QueueUrl":`,
        );
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (received.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
    });
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head.toLowerCase()).toContain('x-amzn-query-error: requestentitytoolarge;sender');
    expect(await messages()).toBe(0);
  });
});

describe('SQS door: malformed query protocol requests', () => {
  const cases: [string, RequestInit & { path?: string }, string][] = [
    ['no Action', { method: 'POST', body: 'QueueName=x' }, 'MissingParameter'],
    ['an unknown Action', { method: 'POST', body: 'Action=Frobnicate' }, 'InvalidAction'],
    [
      'a key that is both a value and a structure',
      { method: 'POST', body: 'Action=CreateQueue&QueueName=q&Attribute=1&Attribute.1.Name=x' },
      'MalformedQueryString',
    ],
    [
      'a list index that is not a number',
      { method: 'POST', body: 'Action=GetQueueAttributes&QueueUrl=u&AttributeName.first=All' },
      'MalformedQueryString',
    ],
    [
      'an integer that is not one',
      { method: 'POST', body: 'Action=ReceiveMessage&QueueUrl=QURL&MaxNumberOfMessages=ten' },
      'InvalidParameterValue',
    ],
    [
      'a body that is not form-encoded',
      { method: 'POST', body: 'Action=ListQueues', headers: { 'content-type': 'text/plain' } },
      'InvalidRequest',
    ],
    ['a PUT', { method: 'PUT', body: 'Action=ListQueues' }, 'InvalidRequest'],
    ['a GET without parameters', { method: 'GET' }, 'MissingParameter'],
  ];

  test.each(cases)('%s', async (_what, init, code) => {
    const body = typeof init.body === 'string' ? init.body.replace('QURL', encodeURIComponent(queueUrl)) : undefined;
    const response = await fetch(endpoint, {
      ...init,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(init.headers as Record<string, string> | undefined),
      },
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(
      new RegExp(
        `^<\\?xml version="1.0"\\?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>${code}</Code><Message>[^<]*</Message><Detail/></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
      ),
    );
    expect(await messages()).toBe(0);
  });
});
