/**
 * Raw HTTP/1.1 fuzz over a real socket (issue 19, items 10 and 11): requests built from valid
 * templates, then mutated (bad chunk sizes, Content-Length with chunked framing, duplicate
 * lengths, bad header bytes, cut or spliced bytes, `Connection: Upgrade`, a missing or duplicate
 * `Host`, headers over the limit; HEAD on the event stream, an invalid WebSocket frame after an
 * upgrade of the consumer stream). Every request gets an
 * HTTP answer before the server closes: no reset, no silence, never a 5xx; a request whose
 * framing is valid is never answered with a reset. DOCKET_FUZZ_RUNS sets the number of requests
 * (the long run, `npm run reliability:fuzz`, sends 100 000).
 */
import { connect, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';

const RUNS = Number(process.env['DOCKET_FUZZ_RUNS'] ?? 300);
const ANSWER_TIMEOUT_MS = 5_000;

let h: Harness;
let port: number;

beforeAll(async () => {
  h = await createHarness({ memory: true, services: false });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await h.close();
});

type Outcome =
  { kind: 'answered'; status: number } | { kind: 'reset' } | { kind: 'silent' } | { kind: 'held-open'; status: number };

/**
 * Sends the bytes, half-closes (the client has nothing more to say), and waits for the server to
 * close: answered (with its status), reset before an answer, silent, or answered but held open.
 */
function exchange(raw: Buffer): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = '';
    let settled = false;
    const status = (): number | undefined => {
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      return match === null ? undefined : Number(match[1]);
    };
    const settle = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const answered = status();
      if (answered === undefined) resolve(closed && head === '' ? { kind: 'reset' } : { kind: 'silent' });
      else resolve(closed ? { kind: 'answered', status: answered } : { kind: 'held-open', status: answered });
    };
    const timer = setTimeout(() => settle(false), ANSWER_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
    });
    socket.on('error', () => settle(true));
    socket.on('close', () => settle(true));
    socket.end(raw);
  });
}

const BODY = '{"data":{"n":1}}';
const TEMPLATES: readonly string[] = [
  'GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n',
  `POST /v1/queues/fuzz/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
  `POST /v1/queues/fuzz/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${BODY.length.toString(16)}\r\n${BODY}\r\n0\r\n\r\n`,
  'POST /v1/lease HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"queues":["fz"]}',
  'POST /publish/fuzz HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
  'GET /v1/queues/fuzz HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
  'HEAD /v1/queues/fuzz/events HTTP/1.1\r\nHost: localhost\r\n\r\n',
  // A WebSocket upgrade of the consumer stream, then a frame with a reserved opcode (masked, empty).
  'GET /v1/stream?queues=fz HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
    'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\u0083\u0080\u0000\u0000\u0000\u0000',
];

interface Mutation {
  readonly name: string;
  /** Whether the result still has valid HTTP/1.1 framing. */
  readonly validFraming: boolean;
  readonly apply: (request: string, at: number, byte: number) => string;
}

const headerEnd = (request: string): number => request.indexOf('\r\n\r\n');

const MUTATIONS: readonly Mutation[] = [
  { name: 'none', validFraming: true, apply: (r) => r },
  {
    name: 'unknown header',
    validFraming: true,
    apply: (r) => r.replace('\r\n', '\r\nX-Fuzz: 1\r\n'),
  },
  {
    name: 'connection upgrade',
    validFraming: true,
    apply: (r) => r.replace('\r\n', '\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n'),
  },
  {
    name: 'content-length with chunked',
    validFraming: false,
    apply: (r) => r.replace('\r\n', '\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n'),
  },
  {
    name: 'duplicate content-length',
    validFraming: false,
    apply: (r) => r.replace('\r\n', '\r\nContent-Length: 1\r\nContent-Length: 2\r\n'),
  },
  { name: 'duplicate host', validFraming: true, apply: (r) => r.replace('\r\n', '\r\nHost: other\r\n') },
  { name: 'no host', validFraming: true, apply: (r) => r.replace(/\r\nHost: [^\r]*/, '') },
  {
    name: 'headers over the limit',
    validFraming: true,
    apply: (r) => r.replace('\r\n', `\r\nX-Big: ${'x'.repeat(20_000)}\r\n`),
  },
  { name: 'bad chunk size', validFraming: false, apply: (r) => r.replace(/\r\n\r\n[0-9a-f]+\r\n/, '\r\n\r\nzz\r\n') },
  {
    name: 'control byte in a header',
    validFraming: false,
    apply: (r, at) => {
      const end = headerEnd(r);
      const i = Math.max(r.indexOf('\r\n') + 2, at % Math.max(1, end));
      return `${r.slice(0, i)}\u0001${r.slice(i)}`;
    },
  },
  {
    name: 'random byte in the head',
    validFraming: false,
    apply: (r, at, byte) => {
      const i = at % Math.max(1, headerEnd(r));
      return `${r.slice(0, i)}${String.fromCharCode(byte)}${r.slice(i + 1)}`;
    },
  },
  { name: 'cut', validFraming: false, apply: (r, at) => r.slice(0, 1 + (at % r.length)) },
  { name: 'garbage line', validFraming: false, apply: () => 'HELLO WORLD\r\n\r\n' },
];

test(
  `${RUNS} raw requests: each gets an HTTP answer, never a 5xx; valid framing is never reset`,
  async () => {
    const tally = new Map<string, number>();
    const count = (key: string): void => {
      tally.set(key, (tally.get(key) ?? 0) + 1);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TEMPLATES),
        fc.constantFrom(...MUTATIONS),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        async (template, mutation, at, byte) => {
          const raw = Buffer.from(mutation.apply(template, at, byte), 'latin1');
          const outcome = await exchange(raw);
          count(outcome.kind === 'answered' ? `${Math.floor(outcome.status / 100)}xx` : outcome.kind);
          if (mutation.validFraming) expect(outcome.kind, mutation.name).toBe('answered');
          if (outcome.kind === 'answered') expect(outcome.status, mutation.name).toBeLessThan(500);
          // A cut request is a client that went away: silence is its due, not a reset before an answer.
          if (mutation.name !== 'cut')
            expect(outcome.kind, `${mutation.name}: ${JSON.stringify(raw.toString('latin1'))}`).toBe('answered');
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`raw HTTP fuzz outcomes over ${RUNS} requests: ${JSON.stringify(Object.fromEntries(tally))}`);
  },
  30_000 + RUNS * 20,
);
