/**
 * The one error catalog. Every error that crosses a package boundary is a DocketError with a
 * code from ErrorCode; the server maps codes to HTTP statuses in one table, and the SDK turns
 * codes back into these classes. Messages are lower-case, without a trailing period, and say
 * what was wrong and what was expected.
 */

export const ErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CSRF_FAILED: 'CSRF_FAILED',
  JOB_NOT_FOUND: 'JOB_NOT_FOUND',
  QUEUE_NOT_FOUND: 'QUEUE_NOT_FOUND',
  TOKEN_NOT_FOUND: 'TOKEN_NOT_FOUND',
  SCHEDULE_NOT_FOUND: 'SCHEDULE_NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  LEASE_MISMATCH: 'LEASE_MISMATCH',
  JOB_EXPIRED: 'JOB_EXPIRED',
  JOB_FINISHED: 'JOB_FINISHED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  QUEUE_FULL: 'QUEUE_FULL',
  UNAVAILABLE: 'UNAVAILABLE',
  STORAGE_FULL: 'STORAGE_FULL',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class DocketError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The request is malformed: a bad name, a number out of range, an unknown option. */
export class InvalidArgumentError extends DocketError {
  constructor(message: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(ErrorCode.INVALID_ARGUMENT, message, details, options);
  }
}

export class UnauthenticatedError extends DocketError {
  constructor(message = 'missing or invalid credentials', details?: ErrorDetails) {
    super(ErrorCode.UNAUTHENTICATED, message, details);
  }
}

export class ForbiddenError extends DocketError {
  constructor(message = 'not allowed', details?: ErrorDetails) {
    super(ErrorCode.FORBIDDEN, message, details);
  }
}

/**
 * A mutating call authenticated by the dashboard's session cookie lacks the CSRF header, or the
 * header does not match the session (`details.reason`: `missing`, `mismatch`). Nothing changed.
 */
export class CsrfFailedError extends DocketError {
  constructor(message = 'missing or wrong CSRF token', details?: ErrorDetails) {
    super(ErrorCode.CSRF_FAILED, message, details);
  }
}

export class JobNotFoundError extends DocketError {
  constructor(id: string) {
    super(ErrorCode.JOB_NOT_FOUND, `job ${id} does not exist`, { id });
  }
}

export class QueueNotFoundError extends DocketError {
  constructor(queue: string) {
    super(ErrorCode.QUEUE_NOT_FOUND, `queue ${queue} does not exist`, { queue });
  }
}

/** No access token has this id (never made, or revoked). */
export class TokenNotFoundError extends DocketError {
  constructor(id: string) {
    super(ErrorCode.TOKEN_NOT_FOUND, `token ${id} does not exist`, { id });
  }
}

/** No schedule has this name (never made, or deleted). */
export class ScheduleNotFoundError extends DocketError {
  constructor(name: string) {
    super(ErrorCode.SCHEDULE_NOT_FOUND, `schedule ${name} does not exist`, { name });
  }
}

/**
 * No route has this method and path: the URL is not part of the API (a `/` inside a queue name
 * must be sent as `%2F`). Raised by the HTTP layer only.
 */
export class RouteNotFoundError extends DocketError {
  constructor(method: string, url: string) {
    super(ErrorCode.ROUTE_NOT_FOUND, `no route for ${method} ${url}`, { method, url });
  }
}

/** The lease token is stale: the job is no longer active under this token (it may belong to someone else now). */
export class LeaseMismatchError extends DocketError {
  constructor(id: string, details?: ErrorDetails) {
    super(ErrorCode.LEASE_MISMATCH, `lease token does not match job ${id}`, { id, ...details });
  }
}

/** The job reached its expiresAt: it is dead with reason `expired` and cannot be acked. */
export class JobExpiredError extends DocketError {
  constructor(id: string) {
    super(ErrorCode.JOB_EXPIRED, `job ${id} expired`, { id });
  }
}

/** The operation needs an unfinished job, and this one is completed or dead. */
export class JobFinishedError extends DocketError {
  constructor(id: string, state: string) {
    super(ErrorCode.JOB_FINISHED, `job ${id} is already ${state}`, { id, state });
  }
}

export class PayloadTooLargeError extends DocketError {
  constructor(message: string, details?: ErrorDetails) {
    super(ErrorCode.PAYLOAD_TOO_LARGE, message, details);
  }
}

/** The request body is in a media type the route does not take. Raised by the HTTP layer only. */
export class UnsupportedMediaTypeError extends DocketError {
  constructor(contentType: string | null) {
    super(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `unsupported content type ${contentType ?? '(none)'}: expected application/json`,
      {
        contentType,
      },
    );
  }
}

export class RateLimitedError extends DocketError {
  constructor(message = 'too many requests', details?: ErrorDetails) {
    super(ErrorCode.RATE_LIMITED, message, details);
  }
}

export class QueueFullError extends DocketError {
  constructor(queue: string, details?: ErrorDetails) {
    super(ErrorCode.QUEUE_FULL, `queue ${queue} is full`, { queue, ...details });
  }
}

/** Storage is unreachable, the server is shutting down, or a commit failed: nothing was acknowledged. */
export class UnavailableError extends DocketError {
  constructor(message: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(ErrorCode.UNAVAILABLE, message, details, options);
  }
}

export class StorageFullError extends DocketError {
  constructor(message = 'storage is full', details?: ErrorDetails, options?: ErrorOptions) {
    super(ErrorCode.STORAGE_FULL, message, details, options);
  }
}

/** A bug: something that should not happen. Never raised for bad input. */
export class InternalError extends DocketError {
  constructor(message: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(ErrorCode.INTERNAL, message, details, options);
  }
}

export function isDocketError(err: unknown): err is DocketError {
  return err instanceof DocketError;
}
