/**
 * Reading a request body whole, for every route and door, and for any server in front of the
 * engine (the fastify app and a plain node:http fast path alike: nothing here knows fastify).
 *
 * - Any framing: a known `content-length`, HTTP/1.1 chunked, or an HTTP/2 (h2, h2c) stream that
 *   ends when it ends; the bytes are read until the stream's end, never guessed from headers.
 * - The limit applies to the bytes read and, with a Content-Encoding, to the decoded bytes: a
 *   body is refused with 413 (`BodyTooLargeError`, quoting the limit applied) as soon as one byte
 *   more than the limit arrived, and a declared length over the limit is refused before reading.
 *   A decompression bomb costs at most the limit plus one decoder chunk of memory.
 * - Content-Encoding gzip, deflate and br are decoded; another coding is a 415; a body that is not
 *   valid data of its coding is a 400. Nothing is stored from a refused body.
 * - On a refusal the rest of the body is read and dropped rather than the connection being cut,
 *   so the client can read the answer (the caller closes an HTTP/1.1 connection after it).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { InvalidArgumentError, PayloadTooLargeError } from '@docket/protocol';
import { codingsToUndo, decoderFor, type Coding } from './content-encoding.ts';

/** A body over its route's limit; `limit` is the one applied (for the route and media type). */
export class BodyTooLargeError extends PayloadTooLargeError {
  readonly limit: number;

  constructor(limit: number) {
    super(`request body is larger than the limit of ${limit} bytes`, { limit });
    this.limit = limit;
  }
}

function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const header = headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/** Collects chunks up to `limit` bytes; `add` is false once the limit was passed. */
class Collector {
  readonly #chunks: Buffer[] = [];
  readonly #limit: number;
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(chunk: Buffer): boolean {
    this.#size += chunk.length;
    if (this.#size > this.#limit) return false;
    this.#chunks.push(chunk);
    return true;
  }

  get body(): Buffer {
    return this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#size);
  }
}

/** Reads the rest of a refused body and drops it; `reader` is the reader's own data listener. */
function discardRest(source: Readable, reader?: (chunk: Buffer) => void): void {
  if (reader !== undefined) source.off('data', reader);
  source.on('error', () => undefined);
  source.resume();
}

function readPlain(source: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const collector = new Collector(limit);
    const fail = (err: unknown): void => {
      source.off('end', onEnd);
      discardRest(source, onData);
      reject(err);
    };
    const onEnd = (): void => {
      source.off('error', fail);
      resolve(collector.body);
    };
    const onData = (chunk: Buffer): void => {
      if (!collector.add(chunk)) fail(new BodyTooLargeError(limit));
    };
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', fail);
  });
}

function readDecoded(source: Readable, codings: readonly Coding[], limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const decoders: Transform[] = codings.map(decoderFor);
    const first = decoders[0] as Transform;
    const last = decoders[decoders.length - 1] as Transform;
    for (let i = 1; i < decoders.length; i += 1) (decoders[i - 1] as Transform).pipe(decoders[i] as Transform);
    const raw = new Collector(limit);
    const decoded = new Collector(limit);
    let settled = false;
    const settle = (err: Error | null, body?: Buffer): void => {
      if (settled) return;
      settled = true;
      for (const decoder of decoders) decoder.destroy();
      if (err === null) resolve(body as Buffer);
      else {
        discardRest(source, onData);
        reject(err);
      }
    };
    const invalid = (): void =>
      settle(
        new InvalidArgumentError(`invalid body: not valid ${codings.join(' in ')} data`, {
          in: 'body',
          contentEncoding: [...codings].reverse().join(', '),
        }),
      );
    for (const decoder of decoders) decoder.on('error', invalid);
    last.on('data', (chunk: Buffer) => {
      if (!decoded.add(chunk)) settle(new BodyTooLargeError(limit));
    });
    last.once('end', () => settle(null, decoded.body));
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      if (!raw.add(chunk)) settle(new BodyTooLargeError(limit));
      else if (!first.write(chunk)) {
        source.pause();
        first.once('drain', () => source.resume());
      }
    };
    source.on('data', onData);
    source.once('end', () => {
      if (!settled) first.end();
    });
    source.once('error', (err) => settle(err));
  });
}

/**
 * The whole body of `source` (an IncomingMessage or Http2ServerRequest, or what a hook made of
 * it), decoded per `headers`' Content-Encoding, at most `limit` bytes.
 *
 * @example
 * const body = await readBody(request, request.headers, 1024 * 1024);
 */
export async function readBody(source: Readable, headers: IncomingHttpHeaders, limit: number): Promise<Buffer> {
  let codings: Coding[];
  try {
    codings = codingsToUndo(headers);
  } catch (err) {
    discardRest(source);
    throw err;
  }
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > limit) {
    discardRest(source);
    throw new BodyTooLargeError(limit);
  }
  return codings.length === 0 ? readPlain(source, limit) : readDecoded(source, codings, limit);
}
