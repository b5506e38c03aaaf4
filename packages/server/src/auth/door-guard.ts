/**
 * Door policies for a front door that is not an HTTP route (the miniqueue RESP listener): the
 * same policy as the door's HTTP routes (door-access.ts), as plain functions a connection calls.
 * A connection logs in once (the RESP `AUTH` command) and each command is then checked against
 * the token's grants; `stillValid` lets it see a revocation on its next command.
 *
 * `needsLogin` is true for a door token, and for `auth` while authentication is on; otherwise
 * every connection acts as the open principal. A door token is compared by the app's secret
 * check (failure-accounting.ts): its failed comparisons count and are rate-limited per address like
 * the authenticator's own, in the same budget, and a stored token goes through the app's
 * authenticator (its cache, its failure limiter and `docket_auth_failures_total`).
 */
import type { Action } from '@docket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from './authenticator.ts';
import { allows, authorize, authorizeAll } from './authorize.ts';
import type { DoorName, DoorPolicy } from './door-access.ts';
import { OPEN_PRINCIPAL, type Principal } from './principal.ts';
import type { FailureAccounting, RefusalReason } from './failure-accounting.ts';

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
  /**
   * Accounts for a refusal the door found itself before any login (an SQS signature missing or
   * wrong): counted and spent from the address's budget; throws RateLimitedError instead while
   * the address is out of budget.
   */
  failed(reason: RefusalReason, address: string): void;
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
  /** Accounts for a wrong door token, and the refusals the door finds itself (`failed`). */
  readonly failures: FailureAccounting;
}

export function createDoorGuard(options: DoorGuardOptions): DoorGuard {
  const { policy, authenticator, failures } = options;
  const doorToken = typeof policy === 'object' ? policy.token : undefined;
  const checked = authenticator.enabled && policy !== 'open' && policy !== 'off';

  return {
    off: policy === 'off',
    needsLogin: doorToken !== undefined || checked,
    async login(credential, address) {
      if (doorToken !== undefined) {
        failures.matchSecret(credential, doorToken, address, 'invalid credentials: the door takes its own token');
      }
      return checked ? authenticator.authenticate(`Bearer ${credential}`, address) : OPEN_PRINCIPAL;
    },
    failed(reason, address) {
      failures.failed(reason, address);
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
    failed: () => undefined,
    authorize: () => undefined,
    allows: () => true,
    stillValid: () => Promise.resolve(true),
  };
}
