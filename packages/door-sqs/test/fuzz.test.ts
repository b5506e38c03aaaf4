/**
 * Random requests to every action in both protocols against a real server: whatever the input,
 * the answer is 2xx or a 4xx in the protocol's error shape, never a 5xx.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { ACTIONS } from '../src/actions/table.ts';
import { sqsServerPerFile } from './support/sqs-server.ts';

const sqs = sqsServerPerFile();
let endpoint: string;
let queueUrl: string;
beforeAll(async () => {
  endpoint = await sqs.endpoint();
  const created = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' },
    body: JSON.stringify({ QueueName: 'fuzz' }),
  });
  queueUrl = ((await created.json()) as { QueueUrl: string }).QueueUrl;
});

const ACTION_NAMES = Object.keys(ACTIONS);
const MEMBERS = [
  'QueueUrl',
  'QueueName',
  'Attributes',
  'AttributeNames',
  'MessageBody',
  'DelaySeconds',
  'MessageAttributes',
  'MessageSystemAttributes',
  'MessageAttributeNames',
  'MessageSystemAttributeNames',
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'ReceiptHandle',
  'Entries',
  'Tags',
  'tags',
  'TagKeys',
  'MaxResults',
  'NextToken',
  'QueueNamePrefix',
  'SourceArn',
  'DestinationArn',
  'MessageGroupId',
  'Id',
  'DataType',
  'StringValue',
  'BinaryValue',
];

const valueArbitrary = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant('QUEUE_URL'),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...MEMBERS), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const jsonInput = fc.dictionary(fc.constantFrom(...MEMBERS), valueArbitrary, { maxKeys: 6 });
const formKey = fc
  .array(
    fc.oneof(
      fc.constantFrom(...MEMBERS, 'Attribute', 'MessageAttribute', 'SendMessageBatchRequestEntry', 'Name', 'Value'),
      fc.nat({ max: 12 }).map(String),
      fc.string({ maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join('.'));
const formInput = fc.array(fc.tuple(formKey, fc.oneof(fc.string(), fc.constant('QUEUE_URL'))), { maxLength: 8 });

function withQueue(text: string): string {
  return text.replaceAll('QUEUE_URL', queueUrl);
}

describe('SQS door: random requests', () => {
  test('JSON protocol: never a 5xx, errors in the JSON shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ACTION_NAMES, 'Nope'), jsonInput, async (action, input) => {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
          body: withQueue(JSON.stringify({ ...input, ...(action === 'ReceiveMessage' ? { WaitTimeSeconds: 0 } : {}) })),
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        if (response.status >= 400) expect(response.headers.get('x-amzn-query-error')).toMatch(/;Sender$/);
      }),
      { numRuns: 75 },
    );
  });

  test('query protocol: never a 5xx, errors as <ErrorResponse>', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ACTION_NAMES, 'Nope'), formInput, async (action, pairs) => {
        const params = new URLSearchParams([
          ['Action', action],
          ...pairs.map(([k, v]) => [k, withQueue(v)] as [string, string]),
        ]);
        if (action === 'ReceiveMessage') params.set('WaitTimeSeconds', '0');
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: params.toString(),
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        if (response.status >= 400) expect(text).toContain('<ErrorResponse');
      }),
      { numRuns: 75 },
    );
  });
});
