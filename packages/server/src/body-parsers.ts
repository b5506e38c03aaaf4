/**
 * Request body parsers. Every body is read whole by body/read-body.ts (any framing, h2 and h2c
 * streams included, the limit applied to the bytes read and decoded, Content-Encoding undone),
 * then parsed: JSON with the plain JSON.parse after a depth scan (a `__proto__` key becomes an
 * own property, never a prototype, so opaque payloads holding one are kept as sent rather than
 * refused, and envelopes holding one fail their schema: unknown property). Routes that take raw
 * bytes get a catch-all parser in their own scope; elsewhere a non-JSON body is refused as an
 * unsupported media type.
 *
 * fastify reads no body from a request that has neither a content type nor a length nor
 * chunked framing; over HTTP/2 such a request may still carry a body (a streamed upload), so
 * `readUnknownLengthBodies` marks those for fastify as chunked.
 */
import type { Readable } from 'node:stream';
import type { Http2ServerRequest } from 'node:http2';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError, limits } from '@docket/protocol';
import { readBody } from './body/read-body.ts';
import { jsonDeeperThan } from './json-depth.ts';

/** The payload's own cap plus the levels of the batch envelope `{jobs:[{data: …}]}`. */
const MAX_BODY_DEPTH = limits.MAX_JSON_DEPTH + 4;

/** A /v1 route's body limits by media type (routes/register.ts puts them in the route config). */
export interface BodyLimits {
  readonly json: number;
  /** Raw bytes (enqueue only; other routes refuse non-JSON bodies with 415). */
  readonly bytes: number;
}

type Done = (err: Error | null, value?: unknown) => void;
type Parser = (request: FastifyRequest, payload: Readable, done: Done) => void;

function parseJson(body: string, done: Done): void {
  if (body.length === 0) {
    done(null, undefined);
    return;
  }
  if (jsonDeeperThan(body, MAX_BODY_DEPTH)) {
    done(
      new InvalidArgumentError(`invalid body: JSON nested deeper than ${MAX_BODY_DEPTH} levels`, {
        in: 'body',
        maxDepth: MAX_BODY_DEPTH,
      }),
    );
    return;
  }
  try {
    done(null, JSON.parse(body));
  } catch {
    done(new InvalidArgumentError('invalid body: not valid JSON', { in: 'body' }));
  }
}

/**
 * A parser that reads the whole body and hands it to `parse`: at most `limit` bytes (decoded), or
 * the limit a /v1 route sets for this media type (its batch forms take more).
 */
function wholeBody(kind: keyof BodyLimits, limit: number, parse: (body: Buffer, done: Done) => void): Parser {
  return (request, payload, done) => {
    const applied = request.routeOptions.config.bodyLimits?.[kind] ?? limit;
    readBody(payload, request.headers, applied).then(
      (body) => parse(body, done),
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
    );
  };
}

/** Raw bytes up to `limit`. */
export function bytesParser(limit: number): Parser {
  return wholeBody('bytes', limit, (body, done) => done(null, body));
}

/** UTF-8 text up to `limit` bytes. */
export function textParser(limit: number): Parser {
  return wholeBody('bytes', limit, (body, done) => done(null, body.toString('utf8')));
}

/** JSON only (the app's root): other media types answer 415. */
export function useJsonParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    wholeBody('json', bodyLimit, (body, done) => parseJson(body.toString('utf8'), done)),
  );
}

/** JSON up to `jsonLimit`, and any other media type (or none) as raw bytes up to `bytesLimit`. */
export function useJsonOrBytesParsers(scope: FastifyInstance, jsonLimit: number, bytesLimit: number): void {
  useJsonParser(scope, jsonLimit);
  scope.addContentTypeParser('*', bytesParser(bytesLimit));
}

function unknownLengthH2Body(request: FastifyRequest): boolean {
  if (request.raw.httpVersionMajor !== 2 || request.headers['content-length'] !== undefined) return false;
  return !(request.raw as unknown as Http2ServerRequest).stream.endAfterHeaders;
}

/**
 * Bodies of unknown length get read, and a refused body does not hold its connection:
 * - an HTTP/2 request whose stream did not end with its headers has a body to read, length or not;
 * - an answer sent before the request body was read whole (a 413, say) closes an HTTP/1.1
 *   connection after it, and ends an HTTP/2 stream with RST_STREAM NO_ERROR once sent, so the
 *   client stops sending (RFC 9113 §8.1).
 */
export function readUnknownLengthBodies(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (unknownLengthH2Body(request)) request.raw.headers['transfer-encoding'] = 'chunked';
    done();
  });
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    if (request.raw.httpVersionMajor !== 2 && !request.raw.complete) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.raw.httpVersionMajor === 2 && !request.raw.complete) {
      const { stream } = request.raw as unknown as Http2ServerRequest;
      if (!stream.closed) stream.close();
    }
    done();
  });
}
