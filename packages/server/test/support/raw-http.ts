/**
 * Raw HTTP/1.1 over a real socket, for the raw fuzzers (raw-http-fuzz.test.ts, door-fuzz.test.ts):
 * one exchange per connection, classified as answered, reset, silent or held open, and the
 * mutations that turn a valid request into one with broken (or still valid) framing.
 */
import { connect } from 'node:net';

const ANSWER_TIMEOUT_MS = 5_000;

/** `text`: everything the server sent, as latin1. */
export type Outcome =
  | { kind: 'answered'; status: number; text: string }
  | { kind: 'reset' }
  | { kind: 'silent' }
  | { kind: 'held-open'; status: number; text: string };

/**
 * Sends the bytes and waits for the server to close: answered (with its status), reset before an
 * answer, silent, or answered but held open. With `halfClose` (the default) the client then
 * half-closes, as one that has nothing more to say; the server treats that as a client gone
 * (docs/reliability.md), so an answer still being worked out may be dropped. Without it the
 * socket stays open and the request should say `Connection: close`.
 */
export function exchange(port: number, raw: Buffer, halfClose = true): Promise<Outcome> {
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
      else resolve({ kind: closed ? 'answered' : 'held-open', status: answered, text: head });
    };
    const timer = setTimeout(() => settle(false), ANSWER_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
    });
    socket.on('error', () => settle(true));
    socket.on('close', () => settle(true));
    if (halfClose) socket.end(raw);
    else socket.write(raw);
  });
}

export interface Mutation {
  readonly name: string;
  /** Whether the result still has valid HTTP/1.1 framing. */
  readonly validFraming: boolean;
  readonly apply: (request: string, at: number, byte: number) => string;
}

const headerEnd = (request: string): number => request.indexOf('\r\n\r\n');

export const MUTATIONS: readonly Mutation[] = [
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
