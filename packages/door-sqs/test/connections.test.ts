/**
 * The SQS door's listener at the connection level, as the app's (found by the door fuzz,
 * packages/server/test/door-fuzz.test.ts): requests Node's parser refuses (headers too large,
 * broken framing) and a missing Host get SQS's `<ErrorResponse>` rather than Node's bare answer or
 * fastify's JSON, and an Upgrade request is answered and its connection closed rather than left unread. Raw sockets against a real `docket serve --sqs-port 0`.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { exchange } from '../../server/test/support/raw-http.ts';
import { sqsServerPerFile } from './support/sqs-server.ts';

const sqs = sqsServerPerFile();
let port: number;
beforeAll(async () => {
  port = Number(new URL(await sqs.endpoint()).port);
});

const BODY = '{"QueueName":"conn"}';
const create = (extra: string, host = 'Host: 127.0.0.1\r\n'): Buffer =>
  Buffer.from(
    `POST / HTTP/1.1\r\n${host}X-Amz-Target: AmazonSQS.CreateQueue\r\n` +
      `Content-Type: application/x-amz-json-1.0\r\n${extra}Content-Length: ${BODY.length}\r\n\r\n${BODY}`,
    'latin1',
  );

async function answer(raw: Buffer): Promise<{ status: number; text: string }> {
  const outcome = await exchange(port, raw, false);
  if (outcome.kind !== 'answered') throw new Error(`expected an answer and a close, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('SQS door connections', () => {
  test('headers over the limit: 431 in the query protocol error shape', async () => {
    const { status, text } = await answer(create(`X-Big: ${'x'.repeat(20_000)}\r\n`));
    expect(status).toBe(431);
    expect(text).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>MalformedQueryString<\/Code>/);
    expect(text).toContain('the request headers are too large');
  });

  test('broken framing: 400 in the query protocol error shape', async () => {
    const { status, text } = await answer(create('Transfer-Encoding: chunked\r\n'));
    expect(status).toBe(400);
    expect(text).toContain('<Code>MalformedQueryString</Code>');
    expect(text).toContain('the HTTP framing is malformed');
  });

  test('no Host: 400 in the request protocol error shape, and the connection closes', async () => {
    const { status, text } = await answer(create('', ''));
    expect(status).toBe(400);
    expect(text).toMatch(/x-amzn-query-error: [^;]+;Sender/i);
    expect(text).toContain('an HTTP/1.1 request needs a Host header');
  });

  test('an Upgrade request is answered, then its connection is closed (Node reads no more of it)', async () => {
    const { status, text } = await answer(create('Connection: Upgrade\r\nUpgrade: websocket\r\n'));
    expect(status, text).toBe(200);
    expect(text).toMatch(/connection: close/i);
  });
});
