/**
 * A miniqueue client over node:http2, written as miniqueue's own tests and examples use the
 * protocol: publish raw bytes, purge a topic, and subscribe with a full-duplex stream of JSON
 * string commands whose replies are read line by line. Works over TLS or h2c, whichever session
 * it is given (open one with openSession of ./h2-client.ts).
 */
import { constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { h2Request, type Answer } from './h2-client.ts';

export interface MiniqueueReply {
  readonly msg?: string;
  readonly dackCount?: number;
  readonly error?: string;
}

export function publish(session: ClientHttp2Session, topic: string, body: string | Uint8Array): Promise<Answer> {
  return h2Request(session, 'POST', `/publish/${topic}`, body, { 'content-type': 'application/json' });
}

export function purge(session: ClientHttp2Session, topic: string): Promise<Answer> {
  return h2Request(session, 'DELETE', `/${topic}`);
}

/** The payload of a delivered message, base64-decoded. */
export function text(reply: MiniqueueReply): string {
  return Buffer.from(reply.msg ?? '', 'base64').toString('utf8');
}

export function encodeCommands(commands: readonly string[]): string {
  return commands.map((command) => `${JSON.stringify(command)}\n`).join('');
}

const DEFAULT_REPLY_TIMEOUT_MS = 10_000;

/** One subscribe stream; replies are queued as they arrive and taken in order with `next()`. */
export class Subscriber {
  readonly stream: ClientHttp2Stream;
  /** The response headers, once the server sent them (lazily, with the first reply). */
  readonly response: Promise<Readonly<Record<string, string | string[] | number | undefined>>>;
  /** Resolves when the server ended the response (or the stream closed). */
  readonly ended: Promise<void>;
  readonly #replies: MiniqueueReply[] = [];
  readonly #waiting: Array<(reply: MiniqueueReply | null) => void> = [];
  #partial = '';
  #closed = false;

  constructor(session: ClientHttp2Session, topic: string, first: readonly string[] = ['INIT']) {
    this.stream = session.request({
      ':method': 'POST',
      ':path': `/subscribe/${topic}`,
      'content-type': 'application/json',
    });
    this.response = new Promise((resolve) => this.stream.once('response', resolve));
    this.stream.setEncoding('utf8');
    this.stream.on('data', (chunk: string) => this.#onData(chunk));
    this.ended = new Promise((resolve) => {
      const done = (): void => {
        this.#closed = true;
        for (const waiter of this.#waiting.splice(0)) waiter(null);
        resolve();
      };
      this.stream.once('end', done);
      this.stream.once('close', done);
    });
    this.stream.on('error', () => undefined);
    if (first.length > 0) this.stream.write(encodeCommands(first));
  }

  send(...commands: string[]): void {
    this.stream.write(encodeCommands(commands));
  }

  /** The next reply; rejects when none comes within `timeoutMs` or the stream ended first. */
  async next(timeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<MiniqueueReply> {
    const queued = this.#replies.shift();
    if (queued !== undefined) return queued;
    if (this.#closed) throw new Error('the subscribe stream ended without a reply');
    const reply = await new Promise<MiniqueueReply | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiting.indexOf(settle);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (value: MiniqueueReply | null): void => {
        clearTimeout(timer);
        resolve(value);
      };
      this.#waiting.push(settle);
    });
    if (reply === null) throw new Error('the subscribe stream ended without a reply');
    return reply;
  }

  /** True if a reply arrives within `ms` (it stays queued for `next()`). */
  async hasReplyWithin(ms: number): Promise<boolean> {
    if (this.#replies.length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.#replies.length > 0;
  }

  /** Ends the request body: miniqueue takes this as a disconnect. */
  halfClose(): void {
    this.stream.end();
  }

  /** Resets the stream (RST_STREAM CANCEL), as a Go client closing the response body does. */
  reset(): void {
    this.stream.close(constants.NGHTTP2_CANCEL);
  }

  #onData(chunk: string): void {
    this.#partial += chunk;
    let newline = this.#partial.indexOf('\n');
    while (newline >= 0) {
      const line = this.#partial.slice(0, newline);
      this.#partial = this.#partial.slice(newline + 1);
      if (line.trim() !== '') {
        const reply = JSON.parse(line) as MiniqueueReply;
        const waiter = this.#waiting.shift();
        if (waiter === undefined) this.#replies.push(reply);
        else waiter(reply);
      }
      newline = this.#partial.indexOf('\n');
    }
  }
}
