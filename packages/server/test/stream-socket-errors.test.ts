/**
 * Invalid WebSocket frames on the consumer stream (issue 19, item 11) are the client's error: the
 * server closes the connection with ws's protocol close code and logs one info line naming the
 * frame error, with no stack and nothing at error level.
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly code?: string;
  readonly err?: unknown;
  readonly [key: string]: unknown;
}

const lines: LogLine[] = [];
let h: Harness;
let port: number;

beforeAll(async () => {
  h = await createHarness({
    memory: true,
    logger: { level: 'debug', stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } },
  });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await h.close();
});

beforeEach(() => {
  lines.length = 0;
});

const UPGRADE =
  'GET /v1/stream?queues=frames HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

/** A masked client frame (mask 0 so the payload goes as is) with the given first byte and payload. */
function frame(first: number, payload: Buffer, masked = true): Buffer {
  const length =
    payload.length < 126
      ? Buffer.from([(masked ? 0x80 : 0) | payload.length])
      : Buffer.from([(masked ? 0x80 : 0) | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([first]), length, masked ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

/** A 64-bit length header announcing `bytes`, with no payload after it. */
function announced(bytes: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(bytes), 2);
  return header;
}

/** Upgrades, sends `bytes` once the 101 arrived, resolves with what came after the 101 once the server closed. */
function sendAfterUpgrade(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (!upgraded && end >= 0) {
        expect(received.subarray(0, 12).toString('latin1')).toBe('HTTP/1.1 101');
        upgraded = true;
        received = received.subarray(end + 4);
        socket.write(bytes);
      }
    });
    socket.on('error', () => undefined);
    socket.once('close', () => (upgraded ? resolve(received) : reject(new Error('no upgrade'))));
    socket.write(UPGRADE);
  });
}

/** The close code of the first close frame among the server's frames (the server may have sent others first). */
function closeCode(frames: Buffer): number | undefined {
  for (let at = 0; at + 2 <= frames.length;) {
    const opcode = (frames[at] ?? 0) & 0x0f;
    const length = (frames[at + 1] ?? 0) & 0x7f;
    if (opcode === 0x8) return frames.readUInt16BE(at + 2);
    at += 2 + length;
  }
  return undefined;
}

test.each([
  ['a reserved opcode', frame(0x83, Buffer.from('x')), 'WS_ERR_INVALID_OPCODE', 1002],
  ['an unmasked frame', frame(0x81, Buffer.from('{}'), false), 'WS_ERR_EXPECTED_MASK', 1002],
  ['a text frame that is not UTF-8', frame(0x81, Buffer.from([0xc3, 0x28])), 'WS_ERR_INVALID_UTF8', 1007],
  ['a message over the size limit', announced(64 * 1024 * 1024), 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 1009],
  ['reserved bits set', frame(0xb1, Buffer.from('x')), 'WS_ERR_UNEXPECTED_RSV_2_3', 1002],
])('%s: closed with the protocol code, logged at info without a stack', async (_name, bytes, code, status) => {
  const frames = await sendAfterUpgrade(bytes);
  expect(closeCode(frames)).toBe(status);
  const logged = lines.find((line) => line.code === code);
  expect(logged).toMatchObject({ level: 30, code });
  expect(logged?.err).toBeUndefined();
  expect(JSON.stringify(lines)).not.toContain('"stack"');
  expect(lines.filter((line) => line.level >= 50)).toEqual([]);
});
