/**
 * SendMessage requests for the SQS door in its two protocols, built to an exact byte size, and
 * ReceiveMessage over the JSON protocol, for the body property (body-reading.test.ts).
 */
import { request as httpRequest } from 'node:http';

export type SqsProtocol = 'json' | 'query';

/** Characters that each protocol escapes differently, several UTF-8 lengths among them. */
const ALPHABET = [
  'a',
  'Z',
  '7',
  ' ',
  '&',
  '=',
  '+',
  '%',
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '<',
  '>',
  'é',
  '€',
  '😀',
  '\u2028',
];

/** Encoded byte length of a message text in each protocol. */
const ENCODED: Record<SqsProtocol | 'utf8', (text: string) => number> = {
  json: (text) => Buffer.byteLength(JSON.stringify(text)) - 2,
  query: (text) => new URLSearchParams({ m: text }).toString().length - 2,
  utf8: (text) => Buffer.byteLength(text),
};

/**
 * A message text whose encoding (`encoding`) is exactly `bytes` long (at least 1): characters
 * drawn by `seed` from ALPHABET while they fit, then ASCII to fill.
 */
export function messageText(bytes: number, seed: number, encoding: SqsProtocol | 'utf8'): string {
  const length = ENCODED[encoding];
  let state = seed >>> 0 || 1;
  let text = '';
  let used = 0;
  for (;;) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const char = ALPHABET[(state >>> 16) % ALPHABET.length] ?? 'a';
    const cost = length(char);
    if (used + cost > bytes - 1) break;
    text += char;
    used += cost;
  }
  return text + 'x'.repeat(bytes - used);
}

/** The SendMessage request body carrying `message`. */
export function sendMessageBody(protocol: SqsProtocol, queueUrl: string, message: string): Buffer {
  if (protocol === 'json') return Buffer.from(JSON.stringify({ QueueUrl: queueUrl, MessageBody: message }));
  return Buffer.from(
    new URLSearchParams({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: message }).toString(),
  );
}

/** The bytes a SendMessage body of `protocol` adds around its message, for a queue URL. */
export function sendMessageOverhead(protocol: SqsProtocol, queueUrl: string): number {
  return sendMessageBody(protocol, queueUrl, '').length;
}

export const SQS_HEADERS: Record<SqsProtocol, Record<string, string>> = {
  json: { 'x-amz-target': 'AmazonSQS.SendMessage' },
  query: {},
};

/** One JSON-protocol call with a known length; its status and parsed answer. */
export function sqsCall(
  origin: string,
  action: string,
  input: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = Buffer.from(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      origin,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `AmazonSQS.${action}`,
          'content-length': String(body.length),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The body of the one message ReceiveMessage gives back from the queue, or null when it has none. */
export async function receiveOne(origin: string, queueUrl: string): Promise<string | null> {
  const answer = await sqsCall(origin, 'ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 0 });
  if (answer.status !== 200)
    throw new Error(`ReceiveMessage answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const messages = (answer.body['Messages'] ?? []) as Array<{ Body: string }>;
  return messages[0]?.Body ?? null;
}
