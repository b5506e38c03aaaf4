/**
 * Fuzz of every front door over its real transport (issue 19, "a schema-aware and raw-HTTP fuzz
 * of every route and door"): emq, presque, miniqueue over HTTP/1.1 on the app's listener, the SQS
 * door on its own, and the miniqueue RESP door as raw TCP. Each request comes from a door's
 * grammar (its paths, methods, headers and body fields, one field mutated: wrong types, huge or
 * empty values, bad encodings; support/door-grammars.ts), then the raw mutations of the HTTP fuzz
 * (or of RESP framing). Whatever arrives: an answer before the server closes, never a 5xx; a
 * request with valid framing is never reset or left silent; an SQS refusal is in SQS's error
 * shape; the RESP and SQS doors log no unexpected error; and every door still serves afterwards.
 * DOCKET_FUZZ_RUNS sets the number of requests (the long run, `npm run reliability:fuzz`, 100 000).
 */
import { connect } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RespClient } from '../../../test/support/resp-client.ts';
import { openDoorListeners, type DoorListeners } from './support/door-listeners.ts';
import { httpDoorRequests, respRequests, type DoorRequest, type RespMutation } from './support/door-grammars.ts';
import { exchange, MUTATIONS, type Mutation } from './support/raw-http.ts';
import { sqsCall } from './support/sqs-bodies.ts';

const RUNS = Number(process.env['DOCKET_FUZZ_RUNS'] ?? 400);
const ANSWER_TIMEOUT_MS = 5_000;

/** Errors the RESP and SQS doors logged: an unexpected error is a bug even when it was answered. */
const logged: unknown[] = [];
const countingLog = {
  level: 'error',
  fatal: (entry: unknown) => logged.push(entry),
  error: (entry: unknown) => logged.push(entry),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
  silent: () => undefined,
  child: () => countingLog,
} as unknown as FastifyBaseLogger;

let doors: DoorListeners;
let queueUrl: string;

beforeAll(async () => {
  doors = await openDoorListeners({ memory: true, services: false, doorLog: countingLog });
  const created = await sqsCall(doors.sqsUrl, 'CreateQueue', { QueueName: 'fz' });
  queueUrl = String(created.body['QueueUrl']);
  await seed();
});
afterAll(async () => {
  await doors.close();
});

/** Jobs in `fz` for the fetches, waits and subscribes to find, in each encoding. */
async function seed(): Promise<void> {
  await doors.harness.engine.enqueueMany('fz', [{ data: 1 }, { data: { a: [1] } }, { data: new Uint8Array([1, 2]) }]);
}

type RespOutcome = { kind: 'answered'; text: string } | { kind: 'closed' } | { kind: 'reset' } | { kind: 'silent' };

/** Sends RESP bytes, half-closes, and waits for the door to close (it ends a connection whose client is done). */
function respExchange(raw: Buffer): Promise<RespOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: doors.respPort, allowHalfOpen: true });
    let text = '';
    let settled = false;
    const settle = (outcome: RespOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'silent' }), ANSWER_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => settle(text === '' ? { kind: 'reset' } : { kind: 'answered', text }));
    socket.on('close', () => settle(text === '' ? { kind: 'closed' } : { kind: 'answered', text }));
    socket.end(raw);
  });
}

/** Every RESP reply line is a reply (`+`, `-`, `$`, `*`, or a bulk's data), and no error is an internal one. */
function checkRespReplies(text: string, context: string): void {
  for (const line of text.split('\r\n')) {
    expect(line.startsWith('-INTERNAL') || line.startsWith('-ERR internal'), context).toBe(false);
  }
  expect(/^[+\-$*]/.test(text), context).toBe(true);
}

const tally = new Map<string, number>();
function count(door: string, what: string): void {
  const key = `${door} ${what}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

async function checkHttp(request: DoorRequest, mutation: Mutation, at: number, byte: number): Promise<void> {
  const raw = Buffer.from(mutation.apply(request.bytes.toString('latin1'), at, byte), 'latin1');
  const port = request.door === 'sqs' ? Number(new URL(doors.sqsUrl).port) : doors.httpPort;
  // A cut request, and a subscriber that half-closes, are clients that went away: no answer is
  // their due (the stream ends with nothing written when nothing was due yet). Any other client
  // stays to read its answer, which a request with valid framing always gets; held open after it
  // when a mutation took `Connection: close` away (keep-alive is the default). A request whose
  // framing a mutation broke may be waiting for bytes it announced (a Content-Length made larger):
  // silence until the server's timeouts is its due, but never a reset.
  const leaves = mutation.name === 'cut' || request.halfClose === true;
  const outcome = await exchange(port, raw, leaves);
  count(request.door, outcome.kind === 'answered' ? `${Math.floor(outcome.status / 100)}xx` : outcome.kind);
  const context = `${request.door} ${mutation.name} ${request.label}: ${JSON.stringify(raw.toString('latin1').slice(0, 300))}`;
  if (!leaves) {
    const due = mutation.validFraming ? ['answered', 'held-open'] : ['answered', 'held-open', 'silent'];
    expect(due, context).toContain(outcome.kind);
  }
  if (outcome.kind !== 'answered' && outcome.kind !== 'held-open') return;
  expect(outcome.status, `${context} -> ${outcome.text.slice(0, 400)}`).toBeLessThan(500);
  if (request.door === 'sqs' && outcome.status >= 400) {
    expect(outcome.text, context).toMatch(/<ErrorResponse|"__type":"com\.amazonaws\.sqs#/);
  }
}

async function checkResp(request: DoorRequest & { readonly mutation: RespMutation }): Promise<void> {
  const outcome = await respExchange(request.bytes);
  count('miniqueue-resp', outcome.kind);
  const context = `miniqueue-resp ${request.label}: ${JSON.stringify(request.bytes.toString('latin1').slice(0, 200))}`;
  expect(outcome.kind, context).not.toBe('reset');
  expect(outcome.kind, context).not.toBe('silent');
  if (outcome.kind === 'answered') checkRespReplies(outcome.text, `${context} -> ${outcome.text.slice(0, 300)}`);
}

const mutationArbitrary = fc.oneof(
  { arbitrary: fc.constant(MUTATIONS[0] as Mutation), weight: 4 },
  { arbitrary: fc.constantFrom(...MUTATIONS), weight: 3 },
);

test(
  `${RUNS} door requests: each answered, never a 5xx; valid framing never reset; every door alive after`,
  async () => {
    tally.clear();
    const seedValue = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: fc.tuple(fc.constant('http' as const), httpDoorRequests(queueUrl)), weight: 4 },
          { arbitrary: fc.tuple(fc.constant('resp' as const), respRequests), weight: 1 },
        ),
        mutationArbitrary,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        async ([kind, request], mutation, at, byte) => {
          if ((await doors.harness.engine.stats('fz').catch(() => null))?.counts.waiting === 0) await seed();
          if (kind === 'http') await checkHttp(request, mutation, at, byte);
          else await checkResp(request);
        },
      ),
      { numRuns: RUNS, seed: seedValue },
    );
    const rows = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `  ${key}: ${n}`);
    console.log(`door fuzz (seed ${seedValue}), ${RUNS} requests in ${Date.now() - started} ms:\n${rows.join('\n')}`);
    expect(logged, JSON.stringify(logged.slice(0, 3))).toEqual([]);

    expect((await fetch(`${doors.httpUrl}/livez`)).status).toBe(200);
    expect((await sqsCall(doors.sqsUrl, 'ListQueues', {})).status).toBe(200);
    const resp = await RespClient.open(doors.respPort);
    expect(await resp.call('PING')).toEqual({ type: 'simple', text: 'pong' });
    resp.destroy();
  },
  60_000 + RUNS * 30,
);
