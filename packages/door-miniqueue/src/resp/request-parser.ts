/**
 * Requests of the Redis protocol (RESP2) as a server reads them: arrays of bulk strings
 * (`*2\r\n$7\r\nPUBLISH\r\n…`, what every Redis client library sends) and inline commands (a line
 * of words separated by spaces, what telnet or nc send). Written here rather than taken from a
 * library: the RESP parsers on npm (redis-parser, which ioredis uses) read a server's replies,
 * not a client's requests; they know no inline commands and put no bound on what a client can
 * make the server hold.
 *
 * Invariants: a request can make the parser hold at most MAX_LINE_BYTES of an unfinished line,
 * MAX_ARGS arguments and `maxBulkBytes` per argument; beyond that, or on a malformed request, it
 * reports a RespProtocolError after the requests before it and parses nothing more (the
 * connection answers those, then the error, and closes, as Redis does). Requests come out whole
 * and in order; an empty inline line is no request.
 */

/** One request: its arguments, the command name first. */
export type RespRequest = readonly Buffer[];

export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

/** An inline command, or the header line of an array or bulk string, longer than this is refused. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Far more than any command of the door takes (PUBLISH has three). */
export const MAX_ARGS = 64;

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;
const DECIMAL = /^-?\d{1,19}$/;

interface Parsed {
  readonly args: RespRequest;
  /** Where the next request starts. */
  readonly end: number;
}

export class RespRequestParser {
  readonly #maxBulkBytes: number;
  #buffer: Buffer = Buffer.alloc(0);
  #failed = false;

  constructor(maxBulkBytes: number) {
    this.#maxBulkBytes = maxBulkBytes;
  }

  /**
   * Takes bytes read from the connection; returns the requests they complete, in order, and the
   * protocol error that follows them, if the bytes after them are malformed.
   */
  push(chunk: Buffer): { readonly requests: RespRequest[]; readonly error: RespProtocolError | null } {
    if (this.#failed) return { requests: [], error: null };
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const requests: RespRequest[] = [];
    let offset = 0;
    try {
      for (let parsed = this.#parse(offset); parsed !== null; parsed = this.#parse(offset)) {
        offset = parsed.end;
        if (parsed.args.length > 0) requests.push(parsed.args);
      }
    } catch (err) {
      if (!(err instanceof RespProtocolError)) throw err;
      this.#failed = true;
      this.#buffer = Buffer.alloc(0);
      return { requests, error: err };
    }
    this.#buffer = this.#buffer.subarray(offset);
    return { requests, error: null };
  }

  /** The request starting at `offset`, or null while it is incomplete. */
  #parse(offset: number): Parsed | null {
    if (offset >= this.#buffer.length) return null;
    return this.#buffer[offset] === STAR ? this.#parseArray(offset) : this.#parseInline(offset);
  }

  #parseInline(offset: number): Parsed | null {
    const lf = this.#lineEnd(offset);
    if (lf === -1) return null;
    const end = lf > offset && this.#buffer[lf - 1] === CR ? lf - 1 : lf;
    const words = this.#buffer
      .toString('latin1', offset, end)
      .split(/[ \t]+/)
      .filter((word) => word !== '');
    if (words.length > MAX_ARGS) throw new RespProtocolError(`too many arguments (at most ${MAX_ARGS})`);
    return { args: words.map((word) => Buffer.from(word, 'latin1')), end: lf + 1 };
  }

  #parseArray(offset: number): Parsed | null {
    const header = this.#header(offset, 'multibulk');
    if (header === null) return null;
    if (header.value > MAX_ARGS) throw new RespProtocolError('invalid multibulk length');
    const args: Buffer[] = [];
    let at = header.end;
    for (let i = 0; i < header.value; i += 1) {
      if (at >= this.#buffer.length) return null;
      if (this.#buffer[at] !== DOLLAR) {
        throw new RespProtocolError(`expected '$', got '${String.fromCharCode(this.#buffer[at] ?? 0)}'`);
      }
      const bulk = this.#header(at, 'bulk');
      if (bulk === null) return null;
      if (bulk.value < 0 || bulk.value > this.#maxBulkBytes) throw new RespProtocolError('invalid bulk length');
      const dataEnd = bulk.end + bulk.value;
      if (dataEnd + 2 > this.#buffer.length) return null;
      if (this.#buffer[dataEnd] !== CR || this.#buffer[dataEnd + 1] !== LF) {
        throw new RespProtocolError('bulk string not followed by CRLF');
      }
      args.push(Buffer.from(this.#buffer.subarray(bulk.end, dataEnd)));
      at = dataEnd + 2;
    }
    return { args, end: at };
  }

  /** The integer of a `*n\r\n` or `$n\r\n` line at `offset` and where the line ends, or null while incomplete. */
  #header(offset: number, kind: 'multibulk' | 'bulk'): { value: number; end: number } | null {
    const lf = this.#lineEnd(offset);
    if (lf === -1) return null;
    if (lf === offset || this.#buffer[lf - 1] !== CR) throw new RespProtocolError(`invalid ${kind} length`);
    const text = this.#buffer.toString('latin1', offset + 1, lf - 1);
    if (!DECIMAL.test(text)) throw new RespProtocolError(`invalid ${kind} length`);
    return { value: Number(text), end: lf + 1 };
  }

  /** The index of the LF ending the line at `offset`, or -1 while it is incomplete (and not too long). */
  #lineEnd(offset: number): number {
    const lf = this.#buffer.indexOf(LF, offset);
    if (lf !== -1 && lf - offset <= MAX_LINE_BYTES) return lf;
    if (lf === -1 && this.#buffer.length - offset <= MAX_LINE_BYTES) return -1;
    throw new RespProtocolError(`line longer than ${MAX_LINE_BYTES} bytes`);
  }
}
