/**
 * Bodies of unknown length (issue 19, item 1), as a property over real sockets: for each transport
 * (HTTP/1.1 chunked, h2c, h2 over TLS), each route or door that stores a body (native raw and JSON
 * enqueue, miniqueue publish, emq enqueue, presque insert), with and without a content type where
 * the door takes both, a body of a random size from 0 to limit + 1, sent in random pieces with
 * random pauses and no content-length, is stored whole and read back byte for byte by a consumer;
 * one byte over the limit is refused (413 quoting the limit applied; emq's 400 `http: request body
 * too large`, as its original words it) and nothing is stored. The SQS door, on a listener of its
 * own that speaks HTTP/1.1 only, takes part over that transport: SendMessage in the JSON and the
 * query protocol, over its request limit its own 413 `RequestEntityTooLarge` in the protocol's
 * shape, and a message over the queue's MaximumMessageSize its `InvalidParameterValue`.
 */
import { connect as h2Connect, type ClientHttp2Session } from 'node:http2';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSqsDoor, type SqsDoor } from '@docket/door-sqs';
import { createTestTls, type TestTls } from '../../../test/support/tls.ts';
import { createHarness, type Harness } from './support/harness.ts';
import {
  messageText,
  receiveOne,
  sendMessageBody,
  sendMessageOverhead,
  sqsCall,
  SQS_HEADERS,
  type SqsProtocol,
} from './support/sqs-bodies.ts';

/** Small limits, so that bodies up to limit + 1 stay quick to send many times. */
const RAW_LIMIT = 3000;
const JSON_LIMIT = 4000;
const LIMITS = { rawPayloadBytes: RAW_LIMIT, bodyBytes: JSON_LIMIT, batchBodyBytes: JSON_LIMIT };
const SQS_LIMIT = 3500;
/** The smallest MaximumMessageSize SQS allows. */
const SQS_MESSAGE_LIMIT = 1024;
/** The door reads the queue from the URL's path; the host is the client's. */
const sqsQueueUrl = (queue: string): string => `http://sqs.test/000000000000/${queue}`;

type Transport = 'http1-chunked' | 'h2c' | 'h2';

interface Sent {
  readonly status: number;
  readonly body: Buffer;
}

let tls: TestTls;
let clear: Harness;
let secure: Harness;
let clearUrl: string;
let secureUrl: string;
let sqs: SqsDoor;
let sqsUrl: string;
const sessions = new Map<Transport, ClientHttp2Session>();

beforeAll(async () => {
  tls = await createTestTls();
  clear = await createHarness({ memory: true, limits: LIMITS });
  secure = await createHarness({ memory: true, limits: LIMITS, tls: { cert: tls.cert, key: tls.key } });
  await clear.app.listen({ host: '127.0.0.1', port: 0 });
  await secure.app.listen({ host: '127.0.0.1', port: 0 });
  clearUrl = `http://127.0.0.1:${(clear.app.server.address() as AddressInfo).port}`;
  secureUrl = `https://localhost:${(secure.app.server.address() as AddressInfo).port}`;
  sessions.set('h2c', h2Connect(clearUrl));
  sessions.set('h2', h2Connect(secureUrl, { ca: tls.ca }));
  sqs = await startSqsDoor({ engine: clear.engine, host: '127.0.0.1', port: 0, bodyLimit: SQS_LIMIT });
  sqsUrl = `http://127.0.0.1:${sqs.port}`;
});

afterAll(async () => {
  for (const session of sessions.values()) session.close();
  await sqs.close();
  await clear.close();
  await secure.close();
  await tls.dispose();
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The body cut into `pieces` parts, at positions taken from `cuts` (fractions of the length). */
function split(body: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * body.length)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const to of [...at, body.length]) {
    if (to > from) parts.push(body.subarray(from, to));
    from = Math.max(from, to);
  }
  return parts;
}

async function writeParts(
  write: (part: Buffer) => void,
  end: () => void,
  parts: readonly Buffer[],
  pauses: readonly number[],
): Promise<void> {
  for (const [i, part] of parts.entries()) {
    write(part);
    const ms = pauses[i % Math.max(1, pauses.length)] ?? 0;
    if (ms > 0) await pause(ms);
  }
  end();
}

/** Sends a body without content-length, in `parts`; the answer may come before the body ends. */
function send(
  transport: Transport,
  method: string,
  path: string,
  headers: Record<string, string>,
  parts: readonly Buffer[],
  pauses: readonly number[],
  origin = clearUrl,
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    if (transport === 'http1-chunked') {
      const request = httpRequest(`${origin}${path}`, { method, headers, agent: false }, (response) => {
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      });
      // A refused body may be cut after its answer: the answer is what counts.
      request.on('error', (err) => (chunks.length === 0 ? reject(err) : undefined));
      void writeParts(
        (part) => request.write(part),
        () => request.end(),
        parts,
        pauses,
      );
      return;
    }
    const session = sessions.get(transport);
    if (session === undefined) throw new Error(`no session for ${transport}`);
    const stream = session.request({ ':method': method, ':path': path, ...headers }, { endStream: false });
    let status = 0;
    stream.on('response', (h) => {
      status = Number(h[':status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
    stream.on('error', (err: Error) => (status === 0 ? reject(err) : resolve({ status, body: Buffer.concat(chunks) })));
    void writeParts(
      (part) => {
        if (!stream.closed) stream.write(part);
      },
      () => {
        if (!stream.closed) stream.end();
      },
      parts,
      pauses,
    );
  });
}

const ALL_TRANSPORTS: readonly Transport[] = ['http1-chunked', 'h2c', 'h2'];

interface Target {
  readonly name: string;
  readonly limit: number;
  readonly minSize: number;
  readonly contentTypes: ReadonlyArray<string | undefined>;
  readonly transports: readonly Transport[];
  /** The listener's base URL, when not the app's. */
  readonly origin?: () => string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Makes `queue` ready to take the body, for a door that sends only to existing queues. */
  readonly prepare?: (queue: string) => Promise<void>;
  /** The request body of `size` bytes (content drawn by `seed`), and its path. */
  readonly request: (queue: string, size: number, seed: number) => { path: string; body: Buffer };
  readonly created: number;
  /** The answer to one byte over the limit: 413 quoting the limit, unless the door answers as its original does. */
  readonly overLimit?: { readonly status: number; readonly text: string | null };
  /** What a consumer reads back from `queue`, or null when it holds nothing. */
  readonly consume: (transport: Transport, queue: string) => Promise<Buffer | null>;
}

async function leaseBytes(transport: Transport, queue: string): Promise<Buffer | null> {
  const body = Buffer.from(JSON.stringify({ queues: [queue], max: 1 }));
  const answer = await send(transport, 'POST', '/v1/lease', { 'content-type': 'application/json' }, [body], []);
  expect(answer.status).toBe(200);
  const job = (JSON.parse(answer.body.toString('utf8')) as { jobs: Array<{ data: unknown; encoding: string }> })
    .jobs[0];
  if (job === undefined) return null;
  if (job.encoding === 'bytes') return Buffer.from(job.data as string, 'base64');
  return Buffer.from(JSON.stringify({ data: job.data }));
}

/** Deterministic bytes of a size from a seed (fast-check shrinks the seed and size, not a buffer). */
function bytesOf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

async function createSqsQueue(queue: string, attributes: Record<string, string> = {}): Promise<void> {
  const created = await sqsCall(sqsUrl, 'CreateQueue', { QueueName: queue, Attributes: attributes });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
}

/** SendMessage in one protocol; a consumer's message is read back as the request that sent it. */
function sqsTarget(protocol: SqsProtocol, contentTypes: ReadonlyArray<string | undefined>): Target {
  const overhead = sendMessageOverhead(protocol, sqsQueueUrl('body-000000'));
  const refusal = `The request body is larger than ${SQS_LIMIT} bytes.`;
  return {
    name: `SQS SendMessage (${protocol})`,
    limit: SQS_LIMIT,
    // SQS refuses an empty MessageBody (MissingParameter).
    minSize: overhead + 1,
    contentTypes,
    transports: ['http1-chunked'],
    origin: () => sqsUrl,
    headers: SQS_HEADERS[protocol],
    prepare: createSqsQueue,
    request: (queue, size, seed) => ({
      path: '/',
      body: sendMessageBody(protocol, sqsQueueUrl(queue), messageText(size - overhead, seed, protocol)),
    }),
    created: 200,
    overLimit: {
      status: 413,
      text:
        protocol === 'json'
          ? `{"__type":"com.amazonaws.sqs#RequestEntityTooLarge","message":"${refusal}"}`
          : `<Code>RequestEntityTooLarge</Code><Message>${refusal}</Message>`,
    },
    consume: async (_transport, queue) => {
      const message = await receiveOne(sqsUrl, sqsQueueUrl(queue));
      return message === null ? null : sendMessageBody(protocol, sqsQueueUrl(queue), message);
    },
  };
}

const TARGETS: readonly Target[] = [
  {
    name: 'native raw enqueue',
    limit: RAW_LIMIT,
    // No bytes at all is "missing body" with content-length 0, an empty job when framed: not the subject.
    minSize: 1,
    contentTypes: [undefined, 'application/octet-stream'],
    transports: ALL_TRANSPORTS,
    request: (queue, size, seed) => ({ path: `/v1/queues/${queue}/jobs`, body: bytesOf(size, seed) }),
    created: 201,
    consume: leaseBytes,
  },
  {
    name: 'native JSON enqueue',
    limit: JSON_LIMIT,
    minSize: 11,
    contentTypes: ['application/json', 'application/json; charset=utf-8'],
    transports: ALL_TRANSPORTS,
    request: (queue, size) => ({
      path: `/v1/queues/${queue}/jobs`,
      body: Buffer.from(JSON.stringify({ data: 'x'.repeat(size - 11) })),
    }),
    created: 201,
    consume: leaseBytes,
  },
  {
    name: 'miniqueue publish',
    limit: RAW_LIMIT,
    minSize: 0,
    contentTypes: [undefined, 'text/plain'],
    transports: ALL_TRANSPORTS,
    request: (queue, size, seed) => ({ path: `/publish/${queue}`, body: bytesOf(size, seed) }),
    created: 201,
    consume: leaseBytes,
  },
  {
    name: 'emq enqueue',
    limit: JSON_LIMIT,
    minSize: 14,
    // emq answers 400 to an enqueue whose content type is not JSON (docs/doors/emq.md).
    contentTypes: ['application/json', 'application/json; charset=utf-8'],
    transports: ALL_TRANSPORTS,
    request: (queue, size) => ({
      path: `/enqueue/${queue}`,
      body: Buffer.from(JSON.stringify({ content: 'x'.repeat(size - 14) })),
    }),
    created: 200,
    // emq's text for a body over the limit, as Go's MaxBytesReader words it (docs/doors/emq.md).
    overLimit: { status: 400, text: 'http: request body too large' },
    consume: async (transport, queue) => {
      const body = Buffer.from(JSON.stringify({ queues: [queue], max: 1 }));
      const answer = await send(transport, 'POST', '/v1/lease', { 'content-type': 'application/json' }, [body], []);
      const job = (JSON.parse(answer.body.toString('utf8')) as { jobs: Array<{ data: unknown }> }).jobs[0];
      return job === undefined ? null : Buffer.from(JSON.stringify({ content: job.data }));
    },
  },
  {
    name: 'presque insert',
    limit: JSON_LIMIT,
    minSize: 2,
    contentTypes: ['application/json'],
    transports: ALL_TRANSPORTS,
    request: (queue, size, seed) => ({ path: `/q/${queue}`, body: bytesOf(size, seed) }),
    created: 201,
    overLimit: { status: 413, text: null },
    consume: async (transport, queue) => {
      const answer = await send(transport, 'GET', `/q/${queue}`, {}, [], []);
      return answer.status === 404 ? null : answer.body;
    },
  },
  sqsTarget('json', [undefined, 'application/x-amz-json-1.0']),
  sqsTarget('query', ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8']),
];

let queues = 0;
/** Queue names of one width, so an SQS queue URL's length does not vary. */
const nextQueue = (): string => {
  queues += 1;
  return `body-${String(queues).padStart(6, '0')}`;
};

test('a body of unknown length arrives whole over each transport and route, or is a 413 over its limit', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...TARGETS)
        .chain((target) => fc.tuple(fc.constantFrom(...target.transports), fc.constant(target))),
      fc.nat(),
      fc.oneof(fc.constantFrom(0, 1, -1, -2), fc.double({ min: 0, max: 1, noNaN: true })),
      fc.integer(),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
      async ([transport, target], typeIndex, sizePick, seed, cuts, pauses) => {
        const { limit, minSize } = target;
        // Whole numbers pick the edges (empty, one byte, the limit, one over); fractions the range.
        const size =
          sizePick === 0
            ? minSize
            : sizePick === 1
              ? limit + 1
              : sizePick === -1
                ? limit
                : sizePick === -2
                  ? minSize + 1
                  : minSize + Math.floor(sizePick * (limit + 1 - minSize));
        const queue = nextQueue();
        await target.prepare?.(queue);
        const { path, body } = target.request(queue, size, seed);
        expect(body.length).toBe(size);
        const contentType = target.contentTypes[typeIndex % target.contentTypes.length];
        const headers = { ...target.headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) };
        const answer = await send(transport, 'POST', path, headers, split(body, cuts), pauses, target.origin?.());
        if (size > limit) {
          const refusal = target.overLimit ?? { status: 413, text: `${limit} bytes` };
          expect(answer.status).toBe(refusal.status);
          if (refusal.text !== null) expect(answer.body.toString('utf8')).toContain(refusal.text);
          expect(await target.consume(transport, queue)).toBeNull();
          return;
        }
        expect(answer.status, answer.body.toString('utf8')).toBe(target.created);
        const back = await target.consume(transport, queue);
        expect(back?.equals(body), `${target.name} over ${transport}: ${size} bytes`).toBe(true);
      },
    ),
    { numRuns: 400 },
  );
}, 60_000);

test('an SQS message of unknown length arrives whole up to MaximumMessageSize, one byte over is InvalidParameterValue', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<SqsProtocol>('json', 'query'),
      fc.oneof(
        fc.constantFrom(1, SQS_MESSAGE_LIMIT, SQS_MESSAGE_LIMIT + 1),
        fc.integer({ min: 1, max: SQS_MESSAGE_LIMIT + 1 }),
      ),
      fc.integer(),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      async (protocol, bytes, seed, cuts) => {
        const queue = nextQueue();
        await createSqsQueue(queue, { MaximumMessageSize: String(SQS_MESSAGE_LIMIT) });
        const message = messageText(bytes, seed, 'utf8');
        expect(Buffer.byteLength(message)).toBe(bytes);
        const body = sendMessageBody(protocol, sqsQueueUrl(queue), message);
        const headers = {
          ...SQS_HEADERS[protocol],
          'content-type': protocol === 'json' ? 'application/x-amz-json-1.0' : 'application/x-www-form-urlencoded',
        };
        const answer = await send('http1-chunked', 'POST', '/', headers, split(body, cuts), [], sqsUrl);
        const back = await receiveOne(sqsUrl, sqsQueueUrl(queue));
        if (bytes > SQS_MESSAGE_LIMIT) {
          expect(answer.status).toBe(400);
          const text = answer.body.toString('utf8');
          expect(text).toContain(protocol === 'json' ? 'InvalidParameterValue' : '<Code>InvalidParameterValue</Code>');
          expect(text).toContain(`Message must be shorter than ${SQS_MESSAGE_LIMIT} bytes.`);
          expect(back).toBeNull();
          return;
        }
        expect(answer.status, answer.body.toString('utf8')).toBe(200);
        expect(back === null ? null : Buffer.from(back).equals(Buffer.from(message)), `${bytes} bytes`).toBe(true);
      },
    ),
    { numRuns: 60 },
  );
}, 60_000);

test('a batch route keeps its own larger limit: a 1.6 MB ack batch is read, a 17 MB one is a 413', async () => {
  const harness = await createHarness({ memory: true });
  try {
    const result = 'r'.repeat(800_000);
    const items = [
      { id: 'missing-1', lease: 't', result },
      { id: 'missing-2', lease: 't', result },
    ];
    const read = await harness.app.inject({ method: 'POST', url: '/v1/jobs/ack', payload: { items } });
    expect(read.statusCode, read.body.slice(0, 200)).toBe(200);
    const big = await harness.app.inject({
      method: 'POST',
      url: '/v1/jobs/ack',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.alloc(17 * 1024 * 1024, 0x20),
    });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain(`${16 * 1024 * 1024} bytes`);
  } finally {
    await harness.close();
  }
});
