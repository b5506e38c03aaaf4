/**
 * Door policies for a front door that is not an HTTP route (the miniqueue RESP listener): the
 * same policy as the door's HTTP routes (door-access.ts), as plain functions a connection calls.
 * A connection logs in once (the RESP `AUTH` command) and each command is then checked against
 * the token's grants; `stillValid` lets it see a revocation on its next command.
 *
 * `needsLogin` is true for a door token, and for `auth` while authentication is on; otherwise
 * every connection acts as the open principal. A door token is compared here, in constant time;
 * its failed comparisons count and are rate-limited per address like the authenticator's own
 * (same burst, one more per second), and a stored token goes through the app's authenticator
 * (its cache, its failure limiter and `docket_auth_failures_total`).
 */
import { RateLimitedError, UnauthenticatedError, type Action } from '@docket/protocol';
import type { FastifyInstance } from 'fastify';
import type { AuthFailureReason, Authenticator } from './authenticator.ts';
import { allows, authorize, authorizeAll } from './authorize.ts';
import type { DoorName, DoorPolicy } from './door-access.ts';
import { FailureLimiter } from './failure-limiter.ts';
import { OPEN_PRINCIPAL, type Principal } from './principal.ts';
import { sameSecret } from './token-format.ts';

export interface DoorGuard {
  /** The door's policy is `off`: it is not served. */
  readonly off: boolean;
  /** A connection must log in before its first command. */
  readonly needsLogin: boolean;
  /**
   * The principal of a credential: throws UnauthenticatedError (`details.reason`) for a wrong,
   * unknown, expired or malformed one, RateLimitedError while the address failed too often.
   */
  login(credential: string, address: string): Promise<Principal>;
  /** Throws ForbiddenError unless `principal` may `action` on `queue` (null: on every queue). */
  authorize(principal: Principal, action: Action, queue: string | null): void;
  /** Whether `principal` may `action` on `queue` (for filtering lists). */
  allows(principal: Principal, action: Action, queue: string): boolean;
  /** Whether the principal's token still exists and has not expired. */
  stillValid(principal: Principal): Promise<boolean>;
}

export interface DoorGuardOptions {
  readonly policy: DoorPolicy;
  readonly authenticator: Authenticator;
  /** Failed door-token comparisons allowed at once per client address (default 20, as the authenticator's). */
  readonly failureBurst?: number;
  readonly onFailure: (reason: AuthFailureReason) => void;
  readonly now?: () => number;
}

export function createDoorGuard(options: DoorGuardOptions): DoorGuard {
  const { policy, authenticator } = options;
  const now = options.now ?? Date.now;
  const doorToken = typeof policy === 'object' ? policy.token : undefined;
  const checked = authenticator.enabled && policy !== 'open' && policy !== 'off';
  const limiter = new FailureLimiter({ burst: options.failureBurst ?? 20, refillMs: 1000, maxAddresses: 10_000 });

  const matchDoorToken = (credential: string, address: string): void => {
    if (doorToken === undefined || sameSecret(credential, doorToken)) return;
    const blockedMs = limiter.blockedFor(address, now());
    if (blockedMs > 0) {
      options.onFailure('rate_limited');
      throw new RateLimitedError('too many failed authentications from this address', { retryAfterMs: blockedMs });
    }
    limiter.failed(address, now());
    options.onFailure('unknown');
    throw new UnauthenticatedError('invalid credentials: the door takes its own token', { reason: 'unknown' });
  };

  return {
    off: policy === 'off',
    needsLogin: doorToken !== undefined || checked,
    async login(credential, address) {
      matchDoorToken(credential, address);
      return checked ? authenticator.authenticate(`Bearer ${credential}`, address) : OPEN_PRINCIPAL;
    },
    authorize(principal, action, queue) {
      if (!checked) return;
      if (queue === null) authorizeAll(principal, action);
      else authorize(principal, action, [queue]);
    },
    allows(principal, action, queue) {
      return !checked || allows(principal, action, queue);
    },
    stillValid(principal) {
      return checked ? authenticator.stillValid(principal) : Promise.resolve(true);
    },
  };
}

/** A door with a guard: the config file's doors, and the SQS door (policy `auth`: SigV4 while auth is on). */
export type GuardedDoor = DoorName | 'sqs';

const guardsByApp = new WeakMap<FastifyInstance, (door: GuardedDoor) => DoorGuard>();

/** Records how `app` (built by buildApp) makes its doors' guards. */
export function rememberDoorGuards(app: FastifyInstance, make: (door: GuardedDoor) => DoorGuard): void {
  guardsByApp.set(app, make);
}

/** The guard of `door` on an app built by buildApp: its policy, its authenticator, its metrics. */
export function doorGuard(app: FastifyInstance, door: GuardedDoor): DoorGuard {
  const make = guardsByApp.get(app);
  if (make === undefined) throw new TypeError('doorGuard: the app was not built by buildApp');
  return make(door);
}

/** The guard of a door served without access control (library use, tests): every call allowed. */
export function openDoorGuard(): DoorGuard {
  return {
    off: false,
    needsLogin: false,
    login: () => Promise.resolve(OPEN_PRINCIPAL),
    authorize: () => undefined,
    allows: () => true,
    stillValid: () => Promise.resolve(true),
  };
}
