/**
 * The one place with HTTP error statuses. Every error the API answers is a code from protocol's
 * ErrorCode catalog rendered as `{ error: { code, message, details } }`; the status comes from
 * the code alone.
 */
import { DocketError, ErrorCode, type ErrorDetails } from '@docket/protocol';

export const HTTP_STATUS_BY_CODE = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  JOB_NOT_FOUND: 404,
  QUEUE_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  LEASE_MISMATCH: 409,
  JOB_EXPIRED: 409,
  JOB_FINISHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUEUE_FULL: 429,
  UNAVAILABLE: 503,
  STORAGE_FULL: 507,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/**
 * Seconds a client should wait before retrying, sent as `Retry-After` (RFC 9110) on 429, 503 and
 * 507. An error may carry its own `details.retryAfterMs`. Rate limits and full queues clear
 * within seconds; a full disk needs an operator, so clients back off longer.
 */
const RETRY_AFTER_SECONDS: Readonly<Partial<Record<ErrorCode, number>>> = {
  RATE_LIMITED: 1,
  QUEUE_FULL: 1,
  UNAVAILABLE: 1,
  STORAGE_FULL: 30,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details: ErrorDetails };
}

export interface HttpErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
  /** `Retry-After` in seconds, for 429, 503 and 507. */
  readonly retryAfter: number | null;
  /** `WWW-Authenticate` (RFC 6750), for 401. */
  readonly wwwAuthenticate: string | null;
}

/** The challenge of a 401: `error="invalid_token"` when a token was sent but refused. */
function challengeOf(code: ErrorCode, details: ErrorDetails): string | null {
  if (code !== ErrorCode.UNAUTHENTICATED) return null;
  return details['reason'] === 'missing' ? 'Bearer realm="docket"' : 'Bearer realm="docket", error="invalid_token"';
}

const INTERNAL_MESSAGE = 'internal error: the server failed to handle the request';

/** The reply for a catalog error (from the engine or the HTTP layer); anything else is INTERNAL. */
export function errorReply(err: unknown): HttpErrorReply {
  const known = err instanceof DocketError ? err : null;
  const code = known?.code ?? ErrorCode.INTERNAL;
  const details = known?.details ?? {};
  const message = known === null || code === ErrorCode.INTERNAL ? INTERNAL_MESSAGE : known.message;
  const retryAfterMs = details['retryAfterMs'];
  const retryAfter =
    typeof retryAfterMs === 'number' && retryAfterMs > 0
      ? Math.ceil(retryAfterMs / 1000)
      : (RETRY_AFTER_SECONDS[code] ?? null);
  return {
    status: httpStatusOf(code),
    body: { error: { code, message, details: code === ErrorCode.INTERNAL ? {} : details } },
    retryAfter,
    wwwAuthenticate: challengeOf(code, details),
  };
}
