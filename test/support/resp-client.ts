/**
 * A minimal RESP2 client over a raw socket, for the miniqueue RESP door's tests: it sends
 * requests as arrays of bulk strings (as Redis client libraries do) or as raw bytes, and reads
 * the door's replies one at a time: simple strings, errors and bulk strings. A general client
 * (ioredis) would not do: it treats SUBSCRIBE as Redis pub/sub.
 */
import { connect, type Socket } from 'node:net';

export type RespReply =
  | { readonly type: 'simple'; readonly text: string }
  | { readonly type: 'error'; readonly text: string }
  | { readonly type: 'bulk'; readonly bytes: Buffer };

const REPLY_TIMEOUT_MS = 10_000;

export class RespClient {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  readonly #replies: RespReply[] = [];
  #waiter: (() => void) | null = null;
  #peerClosed = false;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
      this.#waiter?.();
    });
    // The door closing its side (FIN) is the end of the conversation, also while this side is open.
    this.closed = new Promise((resolve) => {
      socket.once('end', () => resolve());
      socket.once('close', () => resolve());
    });
    void this.closed.then(() => {
      this.#peerClosed = true;
    });
    void this.closed.then(() => this.#waiter?.());
  }

  static open(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      socket.once('connect', () => resolve(new RespClient(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#peerClosed || this.#socket.destroyed || this.#socket.closed;
  }

  /** Sends one request as an array of bulk strings. */
  send(...args: (string | Buffer)[]): void {
    const parts = args.map((arg) => (typeof arg === 'string' ? Buffer.from(arg) : arg));
    this.#socket.write(
      Buffer.concat([
        Buffer.from(`*${parts.length}\r\n`),
        ...parts.flatMap((part) => [Buffer.from(`$${part.length}\r\n`), part, Buffer.from('\r\n')]),
      ]),
    );
  }

  sendRaw(bytes: string | Buffer): void {
    this.#socket.write(bytes);
  }

  /** Sends one request and reads its reply. */
  async call(...args: (string | Buffer)[]): Promise<RespReply> {
    this.send(...args);
    return this.reply();
  }

  /** The next reply; rejects when the connection closes first or none comes within 10 s. */
  async reply(timeoutMs = REPLY_TIMEOUT_MS): Promise<RespReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.#replies.shift();
      if (next !== undefined) return next;
      if (this.isClosed) throw new Error('the connection closed before a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = null;
    }
  }

  /** True when no reply arrives within `ms` (the door is waiting, as it should). */
  async silentFor(ms: number): Promise<boolean> {
    try {
      await this.reply(ms);
      return false;
    } catch {
      return this.#replies.length === 0;
    }
  }

  /** Half-closes: the door reads no more requests. */
  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #parse(): void {
    for (;;) {
      const lf = this.#buffer.indexOf('\r\n');
      if (lf === -1) return;
      const head = this.#buffer.toString('latin1', 0, lf);
      const kind = head[0];
      if (kind === '+' || kind === '-') {
        this.#replies.push({ type: kind === '+' ? 'simple' : 'error', text: head.slice(1) });
        this.#buffer = this.#buffer.subarray(lf + 2);
        continue;
      }
      if (kind !== '$') throw new Error(`unexpected reply ${JSON.stringify(head)}`);
      const length = Number(head.slice(1));
      const end = lf + 2 + length;
      if (this.#buffer.length < end + 2) return;
      this.#replies.push({ type: 'bulk', bytes: Buffer.from(this.#buffer.subarray(lf + 2, end)) });
      this.#buffer = this.#buffer.subarray(end + 2);
    }
  }
}

export function bulkText(reply: RespReply): string {
  if (reply.type !== 'bulk') throw new Error(`expected a bulk string, got ${JSON.stringify(reply)}`);
  return reply.bytes.toString('utf8');
}
