/**
 * Request body parsers. JSON is parsed with the plain JSON.parse after a depth scan: a
 * `__proto__` key becomes an own property (never a prototype), so opaque payloads holding one
 * are kept as sent rather than refused, and envelopes holding one fail their schema
 * (unknown property). Routes that take raw bytes get a catch-all parser in their own scope;
 * elsewhere a non-JSON body is refused as an unsupported media type.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidArgumentError, limits } from '@docket/protocol';
import { jsonDeeperThan } from './json-depth.ts';

/** The payload's own cap plus the levels of the batch envelope `{jobs:[{data: …}]}`. */
const MAX_BODY_DEPTH = limits.MAX_JSON_DEPTH + 4;

function parseJson(_request: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
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

/** JSON only (the app's root): other media types answer 415. */
export function useJsonParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, parseJson);
}

/** JSON up to `jsonLimit`, and any other media type (or none) as raw bytes up to `bytesLimit`. */
export function useJsonOrBytesParsers(scope: FastifyInstance, jsonLimit: number, bytesLimit: number): void {
  useJsonParser(scope, jsonLimit);
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bytesLimit }, (_request, body, done) => {
    done(null, body);
  });
}
