/**
 * Failed authentications that the authenticator does not see: a fixed secret compared in
 * constant time (the `/metrics` token, a door's own token) and a refusal a door finds itself (an
 * SQS request's signature missing or wrong). Each is accounted for as the authenticator's own
 * are: reported with its reason (the metrics count `docket_auth_failures_total{reason}`) and
 * spent from the client address's budget in the failure limiter; an address out of budget gets
 * RateLimitedError (429 with Retry-After) instead. The right secret is accepted before the
 * limiter is asked, so it is never slowed. The app passes the authenticator's own limiter, so
 * every surface shares one budget per address.
 */
import { RateLimitedError, UnauthenticatedError } from '@docket/protocol';
import type { AuthFailureReason } from './authenticator.ts';
import type { FailureLimiter } from './failure-limiter.ts';
import { sameSecret } from './token-format.ts';

export type RefusalReason = Exclude<AuthFailureReason, 'rate_limited'>;

export interface FailureAccounting {
  /** Returns when `given` is `secret`; otherwise throws UnauthenticatedError (or RateLimitedError). */
  matchSecret(given: string | undefined, secret: string, address: string, message: string): void;
  /** Accounts for a refusal found elsewhere; throws RateLimitedError while `address` is out of budget. */
  failed(reason: RefusalReason, address: string): void;
}

export interface FailureAccountingOptions {
  readonly limiter: FailureLimiter;
  readonly onFailure: (reason: AuthFailureReason) => void;
  readonly now?: () => number;
}

export function createFailureAccounting(options: FailureAccountingOptions): FailureAccounting {
  const now = options.now ?? Date.now;
  const failed = (reason: RefusalReason, address: string): void => {
    const blockedMs = options.limiter.blockedFor(address, now());
    if (blockedMs > 0) {
      options.onFailure('rate_limited');
      throw new RateLimitedError('too many failed authentications from this address', { retryAfterMs: blockedMs });
    }
    options.limiter.failed(address, now());
    options.onFailure(reason);
  };
  return {
    matchSecret(given, secret, address, message) {
      if (given !== undefined && sameSecret(given, secret)) return;
      const reason = given === undefined ? 'missing' : 'unknown';
      failed(reason, address);
      throw new UnauthenticatedError(message, { reason });
    },
    failed,
  };
}
