/**
 * Grammar-aware request generators for the door fuzz (door-fuzz.test.ts): for each door, requests
 * shaped like its real ones (its paths, methods, headers and body fields) with one field mutated
 * (a wrong type, a huge or empty value, bad percent-encoding or UTF-8), rendered as raw HTTP/1.1
 * (Content-Length or chunked framing) or as RESP2. Waits are forced to 0: a valid long-poll would
 * only slow the run down.
 */
import fc from 'fast-check';
import { paramArbitrary } from './fuzz-inputs.ts';

export type DoorName = 'emq' | 'presque' | 'miniqueue-http' | 'miniqueue-resp' | 'sqs';

export interface DoorRequest {
  readonly door: DoorName;
  /** What the request was, for a failure message. */
  readonly label: string;
  readonly bytes: Buffer;
  /** A stream's client (miniqueue subscribe) leaves by half-closing once its commands are sent. */
  readonly halfClose?: boolean;
}

/** Values a mutated field takes: wrong types, edges, huge and empty values. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, -1, 0, 1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 4_294_967_296, '', 'x', [], {}, [null], true),
  fc.constantFrom('..', '.', '%zz', '\u0000', '\uFFFD', 'q'.repeat(201), 'ab'.repeat(40_000)),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 20 }),
);

const queue = fc.oneof({ arbitrary: fc.constant('fz'), weight: 4 }, paramArbitrary);

/** A body as sent: JSON text, raw bytes or invalid UTF-8. */
const oddBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value))),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom('', '{', '{"a":', '[', 'null', '\uFEFF{}').map((text) => Buffer.from(text)),
  fc.constant(Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
);

/** `base` with one of `keys` set to an odd value (or left alone), as JSON. */
function mutatedJson(base: Record<string, unknown>, keys: readonly string[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...keys, '__proto__', 'extra'), oddValue, fc.boolean())
    .map(([key, value, mutate]) => Buffer.from(JSON.stringify(mutate ? { ...base, [key]: value } : base)));
}

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'application/x-amz-json-1.0',
  '',
  null,
);

export interface HttpParts {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
}

/**
 * Raw HTTP/1.1 bytes: Content-Length framing, or chunked in two pieces; `Connection: close`, so
 * the server ends the connection once it answered and the client need not half-close.
 */
export function renderHttp(parts: HttpParts, chunked: boolean): Buffer {
  const lines = [`${parts.method} ${parts.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(parts.headers)) lines.push(`${name}: ${value}`);
  const body = parts.body;
  if (body === null) return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (!chunked) {
    lines.push(`Content-Length: ${body.length}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  }
  lines.push('Transfer-Encoding: chunked');
  const half = Math.floor(body.length / 2);
  const pieces = [body.subarray(0, half), body.subarray(half)].filter((piece) => piece.length > 0);
  return Buffer.concat([
    Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
    ...pieces.flatMap((piece) => [Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]),
    Buffer.from('0\r\n\r\n'),
  ]);
}

function withType(type: string | null, headers: Record<string, string> = {}): Record<string, string> {
  return type === null ? headers : { ...headers, 'Content-Type': type };
}

/** No wait longer than 0: emq's `timeout` (ms), presque's and SQS's waits. */
function noWait(body: Buffer, key: string): Buffer {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return body;
    const record = value as Record<string, unknown>;
    const wait = record[key];
    if (typeof wait !== 'number' || wait <= 0) return body;
    return Buffer.from(JSON.stringify({ ...record, [key]: 0 }));
  } catch {
    return body;
  }
}

const emq: fc.Arbitrary<HttpParts> = fc.oneof(
  fc
    .tuple(
      queue,
      mutatedJson({ content: { n: 1 }, retry: 1, timeout: 1 }, ['content', 'retry', 'timeout']),
      contentType,
    )
    .map(([q, body, type]) => ({ method: 'POST', path: `/enqueue/${q}`, headers: withType(type), body })),
  fc.tuple(mutatedJson({ queues: ['fz'], timeout: 0 }, ['queues', 'timeout']), contentType).map(([body, type]) => ({
    method: 'POST',
    path: '/wait/',
    headers: withType(type),
    body: noWait(body, 'timeout'),
  })),
  fc
    .tuple(
      fc.constantFrom('/ack/', '/nak/'),
      mutatedJson({ ids: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] }, ['ids']),
      contentType,
    )
    .map(([path, body, type]) => ({ method: 'POST', path, headers: withType(type), body })),
  fc
    .tuple(fc.constantFrom('/peek/', '/queues/', '//queues/', '/./wait/', '/x/../enqueue/fz', '/enqueue'), queue)
    .map(([prefix, q]) => ({
      method: prefix.startsWith('/peek') ? 'GET' : 'POST',
      path: `${prefix}${q}`,
      headers: {},
      body: null,
    })),
  fc
    .tuple(fc.constantFrom('/enqueue/', '/wait/', '/ack/'), queue, oddBody, contentType)
    .map(([prefix, q, body, type]) => ({
      method: 'POST',
      path: `${prefix}${prefix === '/enqueue/' ? q : ''}`,
      headers: withType(type),
      body,
    })),
);

const PRESQUE_ROUTES: readonly (readonly [string, string])[] = [
  ['GET', '/q/'],
  ['POST', '/q/'],
  ['PUT', '/q/'],
  ['DELETE', '/q/'],
  ['GET', '/qb/'],
  ['POST', '/qb/'],
  ['PUT', '/qb/'],
  ['DELETE', '/qb/'],
  ['GET', '/j/'],
  ['GET', '/w/'],
  ['POST', '/w/'],
  ['DELETE', '/w/'],
  ['GET', '/status/'],
  ['GET', '/control/'],
  ['POST', '/control/'],
  ['PATCH', '/q/'],
];

const presqueQuery = fc.oneof(
  fc.constant(''),
  fc
    .tuple(fc.constantFrom('delay', 'batch_count', 'jid', 'worker_id', 'status', 'x'), oddValue)
    .map(([key, value]) => `?${key}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`),
  fc.constantFrom('?delay=%zz', '?batch_count=-1', '?batch_count=1e9', '?&&'),
);

const presque: fc.Arbitrary<HttpParts> = fc
  .tuple(
    fc.constantFrom(...PRESQUE_ROUTES),
    queue,
    presqueQuery,
    fc.oneof(mutatedJson({ a: 1 }, ['a']), oddBody, fc.constant(Buffer.from('[{"a":1},{"b":2}]'))),
    contentType,
    fc.option(fc.oneof(fc.constantFrom('w1', '', 'x'.repeat(300), '..'), fc.string({ maxLength: 10 }))),
  )
  .map(([[method, prefix], q, query, body, type, worker]) => {
    const headers = withType(
      type,
      worker === null ? {} : { 'X-presque-workerid': worker.replace(/[^\x20-\x7e]/g, '') },
    );
    const hasBody = method === 'POST' || method === 'PUT';
    return { method, path: `${prefix}${q}${query}`, headers, body: hasBody ? body : null };
  });

/** miniqueue's stream commands, one JSON string each, then the end of the body. */
const subscribeBody = fc
  .array(
    fc.oneof(
      fc.constantFrom('"INIT"', '"ACK"', '"NACK"', '"BACK"', '"DACK 1"', '"DACK x"', '"NOPE"', '5', '"INIT'),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
    ),
    { maxLength: 3 },
  )
  .map((commands) => Buffer.from(commands.join('\n')));

const miniqueueHttp: fc.Arbitrary<HttpParts> = fc.oneof(
  fc
    .tuple(queue, oddBody, contentType)
    .map(([q, body, type]) => ({ method: 'POST', path: `/publish/${q}`, headers: withType(type), body })),
  fc
    .tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'), fc.constantFrom('/publish/', '/subscribe/'), queue)
    .map(([method, prefix, q]) => ({ method, path: `${prefix}${q}`, headers: {}, body: null })),
  fc.tuple(queue, subscribeBody).map(([q, body]) => ({ method: 'POST', path: `/subscribe/${q}`, headers: {}, body })),
);

/** SQS's actions (the API reference's list) and the members a well-formed request of each has. */
const SQS_ACTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  CreateQueue: { QueueName: 'fz' },
  GetQueueUrl: { QueueName: 'fz' },
  ListQueues: { MaxResults: 5 },
  DeleteQueue: { QueueUrl: 'QUEUE_URL' },
  PurgeQueue: { QueueUrl: 'QUEUE_URL' },
  GetQueueAttributes: { QueueUrl: 'QUEUE_URL', AttributeNames: ['All'] },
  SetQueueAttributes: { QueueUrl: 'QUEUE_URL', Attributes: { DelaySeconds: '0' } },
  SendMessage: {
    QueueUrl: 'QUEUE_URL',
    MessageBody: 'hi',
    MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } },
  },
  SendMessageBatch: { QueueUrl: 'QUEUE_URL', Entries: [{ Id: 'a', MessageBody: 'x' }] },
  ReceiveMessage: { QueueUrl: 'QUEUE_URL', MaxNumberOfMessages: 2, WaitTimeSeconds: 0 },
  DeleteMessage: { QueueUrl: 'QUEUE_URL', ReceiptHandle: 'abc' },
  DeleteMessageBatch: { QueueUrl: 'QUEUE_URL', Entries: [{ Id: 'a', ReceiptHandle: 'abc' }] },
  ChangeMessageVisibility: { QueueUrl: 'QUEUE_URL', ReceiptHandle: 'abc', VisibilityTimeout: 5 },
  ChangeMessageVisibilityBatch: {
    QueueUrl: 'QUEUE_URL',
    Entries: [{ Id: 'a', ReceiptHandle: 'abc', VisibilityTimeout: 1 }],
  },
  TagQueue: { QueueUrl: 'QUEUE_URL', Tags: { k: 'v' } },
  UntagQueue: { QueueUrl: 'QUEUE_URL', TagKeys: ['k'] },
  ListQueueTags: { QueueUrl: 'QUEUE_URL' },
  ListDeadLetterSourceQueues: { QueueUrl: 'QUEUE_URL' },
  StartMessageMoveTask: { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:fz' },
  Nope: {},
};

/** Members a fuzzed request may never carry as valid numbers: they would make the door wait. */
const WAITS = ['WaitTimeSeconds', 'ReceiveMessageWaitTimeSeconds'];

function noSqsWait(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const key of WAITS) {
    const value = out[key];
    if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) out[key] = 0;
  }
  const attributes = out['Attributes'];
  if (typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)) {
    out['Attributes'] = { ...(attributes as Record<string, unknown>), ReceiveMessageWaitTimeSeconds: '0' };
  }
  return out;
}

/** The query protocol's flattening of a JSON input (lists `.N`, maps `.N.Name`/`.N.Value`). */
function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(`${prefix}.${i + 1}`, item, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) flatten(prefix === '' ? key : `${prefix}.${key}`, item, out);
  } else {
    out.push([prefix, String(value)]);
  }
}

const sqsInput = fc
  .tuple(
    fc.constantFrom(...Object.keys(SQS_ACTIONS)),
    fc.constantFrom(
      'QueueUrl',
      'QueueName',
      'MessageBody',
      'Entries',
      'Attributes',
      'AttributeNames',
      'ReceiptHandle',
      'VisibilityTimeout',
      'MaxNumberOfMessages',
      'MessageAttributes',
      'DelaySeconds',
      'Tags',
      'MaxResults',
      'NextToken',
      'SourceArn',
      'MessageGroupId',
    ),
    oddValue,
    fc.boolean(),
  )
  .map(([action, key, value, mutate]) => {
    const base = SQS_ACTIONS[action] ?? {};
    return { action, input: noSqsWait(mutate ? { ...base, [key]: value } : base) };
  });

function sqsParts(queueUrl: string): fc.Arbitrary<HttpParts> {
  const withQueue = (text: string): string => text.replaceAll('QUEUE_URL', queueUrl);
  return fc.oneof(
    fc
      .tuple(sqsInput, fc.constantFrom('application/x-amz-json-1.0', 'application/json', null), fc.boolean())
      .map(([{ action, input }, type, badBody]) => ({
        method: 'POST',
        path: '/',
        headers: withType(type, { 'X-Amz-Target': `AmazonSQS.${action}` }),
        body: badBody ? Buffer.from('{"QueueUrl":') : Buffer.from(withQueue(JSON.stringify(input))),
      })),
    fc
      .tuple(
        sqsInput,
        fc.constantFrom('application/x-www-form-urlencoded', 'text/plain', null),
        fc.constantFrom('POST', 'GET'),
      )
      .map(([{ action, input }, type, method]) => {
        const pairs: [string, string][] = [['Action', action]];
        flatten('', input, pairs);
        const form = new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, withQueue(v)])).toString();
        return method === 'GET'
          ? { method, path: `/?${form}`, headers: {}, body: null }
          : { method, path: '/', headers: withType(type), body: Buffer.from(form) };
      }),
    fc.constantFrom<HttpParts>(
      {
        method: 'POST',
        path: '/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: Buffer.from('Action=SendMessage&%zz=1'),
      },
      {
        method: 'POST',
        path: '/000000000000/fz',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: Buffer.from('Action=SendMessage&MessageBody=%C3%28'),
      },
      { method: 'DELETE', path: '/', headers: {}, body: null },
    ),
  );
}

function httpDoor(door: DoorName, parts: fc.Arbitrary<HttpParts>): fc.Arbitrary<DoorRequest> {
  return fc.tuple(parts, fc.boolean()).map(([request, chunked]) => ({
    door,
    label: `${request.method} ${request.path.slice(0, 120)}`,
    bytes: renderHttp(request, chunked),
    halfClose: request.method === 'POST' && request.path.startsWith('/subscribe/'),
  }));
}

/** RESP2 requests: arrays of bulk strings, inline commands and broken framing. */
const respArg = fc.oneof(
  fc.constantFrom('fz', '..', '', 'x'.repeat(300)),
  paramArbitrary,
  fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const respCommand = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'PING',
        'ping',
        'INFO',
        'TOPICS',
        'AUTH',
        'FOO',
        'foo',
        'SUBSCRIBE',
        'PUBLISH',
        'ACK',
        'DACK',
        'QUIT',
      ),
      fc.array(respArg, { maxLength: 3 }),
    )
    .map(([name, args]) => [name, ...args]),
  fc
    .tuple(
      respArg,
      oddBody.map((body) => body.toString('latin1')),
    )
    .map(([topic, payload]) => ['PUBLISH', topic, payload]),
  fc
    .tuple(
      respArg,
      fc.array(fc.constantFrom('ACK', 'NACK', 'BACK', 'DACK 1', 'DACK', 'DACK x', 'NOPE'), { maxLength: 2 }),
    )
    .map(([topic, settle]) => ['SUBSCRIBE', topic, ...settle]),
);

function renderResp(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`).join('')}`;
}

export interface RespMutation {
  readonly name: string;
  readonly validFraming: boolean;
  readonly apply: (request: string, at: number) => string;
}

export const RESP_MUTATIONS: readonly RespMutation[] = [
  { name: 'none', validFraming: true, apply: (r) => r },
  {
    name: 'inline',
    validFraming: true,
    apply: (r) =>
      `${r
        .split('\r\n')
        .filter((_, i) => i > 0 && i % 2 === 0)
        .join(' ')}\r\n`,
  },
  { name: 'negative count', validFraming: false, apply: (r) => r.replace(/^\*\d+/, '*-5') },
  { name: 'huge count', validFraming: false, apply: (r) => r.replace(/^\*\d+/, '*99999999999') },
  { name: 'huge bulk', validFraming: false, apply: (r) => r.replace(/\$\d+/, '$9999999999') },
  { name: 'bad bulk length', validFraming: false, apply: (r) => r.replace(/\$\d+/, '$x') },
  {
    name: 'bulk too short',
    validFraming: false,
    apply: (r) => r.replace(/\$(\d+)/, (_, n: string) => `$${Number(n) + 3}`),
  },
  { name: 'cut', validFraming: false, apply: (r, at) => r.slice(0, 1 + (at % r.length)) },
  { name: 'long line', validFraming: false, apply: () => `${'A'.repeat(70_000)}\r\n` },
  { name: 'garbage', validFraming: false, apply: (_r, at) => `\u0000\u0001${String.fromCharCode(at % 256)}\r\n` },
];

const resp: fc.Arbitrary<DoorRequest & { readonly mutation: RespMutation }> = fc
  .tuple(respCommand, fc.constantFrom(...RESP_MUTATIONS), fc.nat())
  .map(([args, mutation, at]) => ({
    door: 'miniqueue-resp',
    label: `${mutation.name}: ${JSON.stringify(args).slice(0, 120)}`,
    bytes: Buffer.from(mutation.apply(renderResp(args), at), 'latin1'),
    mutation,
  }));

export function httpDoorRequests(queueUrl: string): fc.Arbitrary<DoorRequest> {
  return fc.oneof(
    httpDoor('emq', emq),
    httpDoor('presque', presque),
    httpDoor('miniqueue-http', miniqueueHttp),
    httpDoor('sqs', sqsParts(queueUrl)),
  );
}

export const respRequests = resp;
