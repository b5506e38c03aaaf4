/**
 * Turns whatever a store operation threw into a protocol error; driver errors never leak raw.
 *
 * - Protocol errors pass through (refusals such as LeaseMismatchError).
 * - The database cannot be reached or dropped the connection (socket errors, connection timeouts,
 *   SQLSTATE classes 08 and 57P, too many connections, a cancelled statement) → UnavailableError,
 *   so the HTTP layer answers 503 and the client retries. A failure during COMMIT lands here too:
 *   its outcome is unknown, and nothing was acknowledged.
 * - Disk full (53100) → StorageFullError.
 * - The schema is missing (42P01, 3F000) → UnavailableError naming migrate().
 * - Anything else (a constraint we did not expect, a bug) → InternalError.
 * Every wrapped error keeps the driver error as `cause` and its SQLSTATE in `details.code`.
 */
import { DocketError, InternalError, StorageFullError, UnavailableError } from '@docket/protocol';

/** The SQLSTATE of a server error, or the Node error code of a socket error, if any. */
export function errorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  return typeof err.code === 'string' ? err.code : null;
}

const UNAVAILABLE_CODES = new Set([
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '53200', // out_of_memory
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available (lock_timeout)
  '25P03', // idle_in_transaction_session_timeout
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages of the driver's own connection failures, which carry no code. */
const CONNECTION_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|not queryable|Client was closed/i;

/** Errors after which the connection cannot be trusted and must not go back to the pool. */
export function isConnectionError(err: unknown): boolean {
  const code = errorCode(err);
  if (code !== null && (code.startsWith('08') || code.startsWith('57P') || UNAVAILABLE_CODES.has(code))) return true;
  return err instanceof Error && code === null && CONNECTION_MESSAGE.test(err.message);
}

/** Deadlocks and serialization failures roll the whole transaction back; running it again is safe. */
export function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  return code === '40P01' || code === '40001';
}

/** `doing` names what failed, e.g. `jobAck` or `migrate`. */
export function toStoreError(err: unknown, doing: string): DocketError {
  if (err instanceof DocketError) return err;
  const code = errorCode(err);
  const details = code === null ? undefined : { code };
  const reason = err instanceof Error ? err.message : String(err);
  if (code === '53100')
    return new StorageFullError(`postgres storage is full: ${doing} failed`, details, { cause: err });
  if (code === '42P01' || code === '3F000') {
    return new UnavailableError(`postgres schema is missing or outdated: run migrate() first (${doing})`, details, {
      cause: err,
    });
  }
  if (isConnectionError(err)) {
    return new UnavailableError(`postgres unavailable: ${doing} failed: ${reason}`, details, { cause: err });
  }
  return new InternalError(`unexpected failure in postgres store ${doing}: ${reason}`, details, { cause: err });
}
