/**
 * Server errors back into the protocol's classes, by `error.code`: `await transport.ack(…)` throws
 * LeaseMismatchError over HTTP exactly as it does in-process. The table is typed against the
 * catalog, so a new code without a class here fails to compile. The server's message is kept.
 */
import {
  DocketError,
  ErrorCode,
  ForbiddenError,
  CsrfFailedError,
  InternalError,
  InvalidArgumentError,
  JobExpiredError,
  JobFinishedError,
  JobNotFoundError,
  LeaseMismatchError,
  PayloadTooLargeError,
  QueueFullError,
  QueueNotFoundError,
  TokenNotFoundError,
  ScheduleNotFoundError,
  RateLimitedError,
  RouteNotFoundError,
  StorageFullError,
  UnauthenticatedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  type ErrorDetails,
} from '@docket/protocol';

/** The body of every error answer of the /v1 API. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly details?: ErrorDetails;
}

type Build = (message: string, details: ErrorDetails) => DocketError;

const text = (details: ErrorDetails, key: string): string => {
  const value = details[key];
  return typeof value === 'string' ? value : '';
};

const nullableText = (details: ErrorDetails, key: string): string | null => {
  const value = details[key];
  return typeof value === 'string' ? value : null;
};

const BY_CODE = {
  INVALID_ARGUMENT: (message, details) => new InvalidArgumentError(message, details),
  UNAUTHENTICATED: (message, details) => new UnauthenticatedError(message, details),
  FORBIDDEN: (message, details) => new ForbiddenError(message, details),
  CSRF_FAILED: (message, details) => new CsrfFailedError(message, details),
  JOB_NOT_FOUND: (_message, details) => new JobNotFoundError(text(details, 'id')),
  QUEUE_NOT_FOUND: (_message, details) => new QueueNotFoundError(text(details, 'queue')),
  TOKEN_NOT_FOUND: (_message, details) => new TokenNotFoundError(text(details, 'id')),
  SCHEDULE_NOT_FOUND: (_message, details) => new ScheduleNotFoundError(text(details, 'name')),
  ROUTE_NOT_FOUND: (_message, details) => new RouteNotFoundError(text(details, 'method'), text(details, 'url')),
  LEASE_MISMATCH: (_message, details) => new LeaseMismatchError(text(details, 'id'), details),
  JOB_EXPIRED: (_message, details) => new JobExpiredError(text(details, 'id')),
  JOB_FINISHED: (_message, details) => new JobFinishedError(text(details, 'id'), text(details, 'state')),
  PAYLOAD_TOO_LARGE: (message, details) => new PayloadTooLargeError(message, details),
  UNSUPPORTED_MEDIA_TYPE: (_message, details) => new UnsupportedMediaTypeError(nullableText(details, 'contentType')),
  RATE_LIMITED: (message, details) => new RateLimitedError(message, details),
  QUEUE_FULL: (_message, details) => new QueueFullError(text(details, 'queue'), details),
  UNAVAILABLE: (message, details) => new UnavailableError(message, details),
  STORAGE_FULL: (message, details) => new StorageFullError(message, details),
  INTERNAL: (message, details) => new InternalError(message, details),
} as const satisfies Record<ErrorCode, Build>;

function isCatalogCode(code: string): code is ErrorCode {
  return Object.hasOwn(ErrorCode, code);
}

/**
 * An answer that is not a catalog error: a code the catalog does not have (a newer server's, or
 * something that is not Docket's /v1 API), or a body that is not Docket's.
 */
export class UnexpectedResponseError extends Error {
  readonly status: number;
  readonly code: string | null;

  constructor(status: number, code: string | null, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnexpectedResponseError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @example
 * errorFromWire(409, { code: 'LEASE_MISMATCH', message: 'lease token does not match job 1', details: { id: '1' } });
 * // → a LeaseMismatchError
 */
export function errorFromWire(status: number, wire: WireError): DocketError | UnexpectedResponseError {
  if (!isCatalogCode(wire.code)) return new UnexpectedResponseError(status, wire.code, wire.message);
  const error = BY_CODE[wire.code](wire.message, wire.details ?? {});
  error.message = wire.message;
  return error;
}

/** An error status whose body is not Docket's (a proxy's page, an empty body). */
export function errorFromStatus(status: number, body: string): DocketError | UnexpectedResponseError {
  const snippet = body.slice(0, 200);
  if (status === 503 || status === 502 || status === 504) {
    return new UnavailableError(`server unavailable: http ${status}`, { status, body: snippet });
  }
  if (status === 429) return new RateLimitedError(`too many requests: http ${status}`, { status });
  return new UnexpectedResponseError(status, null, `unexpected http ${status} answer: ${snippet}`);
}
