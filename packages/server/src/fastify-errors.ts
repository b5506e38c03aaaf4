/**
 * Translates fastify's own errors (schema validation, body parsing, URL decoding) into catalog
 * errors, so every answer carries a catalog code. Statuses come from http-errors.ts.
 */
import type { FastifyError } from 'fastify';
import {
  InvalidArgumentError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  type DocketError,
} from '@docket/protocol';

/** Validation issues reported per request, at most: enough to fix a request, bounded in size. */
const MAX_ISSUES = 10;

interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

interface FastifyErrorContext {
  readonly contentType: string | undefined;
  readonly bodyLimit: number;
}

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

function validationError(err: FastifyError): InvalidArgumentError {
  const part = err.validationContext ?? 'request';
  const issues: ValidationIssue[] = (err.validation ?? []).slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.instancePath === '' ? '/' : issue.instancePath,
    message: lowerFirst(issue.message ?? 'unexpected value'),
  }));
  const first = issues[0];
  const summary = first === undefined ? 'unexpected value' : `${first.path} ${first.message}`;
  const item = part === 'body' && first !== undefined ? batchItem(first.path) : undefined;
  return new InvalidArgumentError(`invalid ${part}: ${summary}`, { in: part, ...item, issues });
}

/** `/jobs/3/backoff/maxMs` or `/items/3/lease`: a batch item's index, and the field inside it. */
const BATCH_ITEM_PATH = /^\/(?:jobs|items)\/(\d+)(?:\/(.+))?$/;

/**
 * Where a refused batch item sits: `index`, and `field` (a dotted path inside the item, as the
 * engine names fields) unless the item as a whole is wrong (not an object, say).
 */
function batchItem(path: string): { index: number; field?: string } | undefined {
  const match = BATCH_ITEM_PATH.exec(path);
  if (match === null) return undefined;
  const index = Number(match[1]);
  const field = match[2];
  return field === undefined ? { index } : { index, field: field.replaceAll('/', '.') };
}

/** The catalog error for a fastify error, or null when it is not one of fastify's. */
export function fromFastifyError(err: unknown, ctx: FastifyErrorContext): DocketError | null {
  if (!isFastifyError(err)) return null;
  if (Array.isArray(err.validation)) return validationError(err);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError(`request body is larger than the limit of ${ctx.bodyLimit} bytes`, {
        limit: ctx.bodyLimit,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(ctx.contentType ?? null);
    case 'FST_ERR_BAD_URL':
      return new InvalidArgumentError('invalid url: a path segment is not valid percent-encoding', {
        in: 'url',
      });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new InvalidArgumentError('invalid url: a path parameter is too long', { in: 'params' });
    default:
      if (err.code.startsWith('FST_ERR_CTP_') || (err.statusCode !== undefined && err.statusCode < 500)) {
        return new InvalidArgumentError(`invalid request: ${lowerFirst(err.message)}`, { in: 'request' });
      }
      return null;
  }
}
