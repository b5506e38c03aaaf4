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
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';
import { exchange, MUTATIONS } from './support/raw-http.ts';

const RUNS = Number(process.env['DOCKET_FUZZ_RUNS'] ?? 300);

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
          const outcome = await exchange(port, raw);
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
