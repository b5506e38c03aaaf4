/**
 * Turns whatever a store operation threw into a protocol error. Protocol errors pass through.
 * Redis refusals (ReplyError) are sorted by their code: OOM becomes StorageFullError; codes that
 * say the server cannot serve now (loading, read-only replica, failing persistence, busy script,
 * cluster down, auth) become UnavailableError; anything else (a script bug) becomes InternalError.
 * Connection failures, timeouts and commands refused while disconnected become UnavailableError
 * (→ HTTP 503): nothing was acknowledged. Driver errors never leak raw; each is the `cause`.
 */
import { DocketError, InternalError, StorageFullError, UnavailableError } from '@docket/protocol';

const UNAVAILABLE_REPLIES = new Set([
  'LOADING',
  'READONLY',
  'MASTERDOWN',
  'MISCONF',
  'BUSY',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'NOAUTH',
  'WRONGPASS',
  'NOPERM',
  'NOREPLICAS',
]);

/** Our own bugs, not the connection's: they must not pass for an outage. */
function isProgrammingError(err: Error): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError;
}

/** `doing` names what failed, e.g. `job-ack`. */
export function toStoreError(err: unknown, doing: string): DocketError {
  if (err instanceof DocketError) return err;
  if (!(err instanceof Error) || isProgrammingError(err)) {
    return new InternalError(`unexpected failure in redis store ${doing}`, undefined, { cause: err });
  }
  if (err.name === 'ReplyError') {
    const code = err.message.split(' ', 1)[0] ?? '';
    if (code === 'OOM')
      return new StorageFullError(`redis is out of memory: ${doing} failed`, { code }, { cause: err });
    if (UNAVAILABLE_REPLIES.has(code)) {
      return new UnavailableError(`redis refused ${doing}: ${err.message}`, { code }, { cause: err });
    }
    return new InternalError(`redis failed ${doing}: ${err.message}`, { code }, { cause: err });
  }
  return new UnavailableError(`redis unavailable: ${doing} failed: ${err.message}`, undefined, { cause: err });
}
