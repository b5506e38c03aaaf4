/**
 * The door guard as plain functions: which policies need a login, a door token compared and
 * its failures counted and rate-limited per address, a stored token through the authenticator,
 * grants checked only while auth is on.
 */
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '@docket/protocol';
import { describe, expect, test } from 'vitest';
import type { Authenticator, AuthFailureReason } from './authenticator.ts';
import { openAuthenticator } from './authenticator.ts';
import { createDoorGuard } from './door-guard.ts';
import { authFailureLimiter } from './failure-limiter.ts';
import { OPEN_PRINCIPAL, type Principal } from './principal.ts';
import { createFailureAccounting, type FailureAccounting } from './failure-accounting.ts';

const DOOR_TOKEN = 'door-token-0123456789abcdef0123456789';
const producer: Principal = { id: 'p', name: 'producer', grants: [{ action: 'produce', pattern: 'emails' }] };

function accounting(
  onFailure: (reason: AuthFailureReason) => void = () => undefined,
  burst = 20,
  now: () => number = Date.now,
): FailureAccounting {
  return createFailureAccounting({ limiter: authFailureLimiter(burst), onFailure, now });
}

/** An authenticator that knows one token, `good`, as `producer`. */
function onAuthenticator(): Authenticator {
  return {
    enabled: true,
    authenticate: (authorization) =>
      authorization === 'Bearer good'
        ? Promise.resolve(producer)
        : Promise.reject(new UnauthenticatedError('unknown', { reason: 'unknown' })),
    authenticateNow: (authorization) => {
      if (authorization === 'Bearer good') return producer;
      throw new UnauthenticatedError('unknown', { reason: 'unknown' });
    },
    stillValid: () => Promise.resolve(true),
    forget: () => undefined,
    onFailure: () => undefined,
  };
}

describe('createDoorGuard', () => {
  test('auth off: `auth` and `open` need no login and allow everything; `off` says so', async () => {
    for (const policy of ['auth', 'open'] as const) {
      const guard = createDoorGuard({ policy, authenticator: openAuthenticator(), failures: accounting() });
      expect(guard.needsLogin).toBe(false);
      expect(await guard.login('anything', '127.0.0.1')).toBe(OPEN_PRINCIPAL);
      expect(() => guard.authorize(producer, 'admin', 'billing')).not.toThrow();
    }
    expect(createDoorGuard({ policy: 'off', authenticator: openAuthenticator(), failures: accounting() }).off).toBe(
      true,
    );
  });

  test('a door token with auth off: only it logs in; failures are counted, then rate limited per address', async () => {
    const failures: AuthFailureReason[] = [];
    let now = 0;
    const guard = createDoorGuard({
      policy: { token: DOOR_TOKEN },
      authenticator: openAuthenticator(),
      failures: accounting(
        (reason) => failures.push(reason),
        2,
        () => now,
      ),
    });
    expect(guard.needsLogin).toBe(true);
    expect(await guard.login(DOOR_TOKEN, 'a')).toBe(OPEN_PRINCIPAL);
    await expect(guard.login('wrong', 'a')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(guard.login('wrong', 'a')).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(guard.login('wrong', 'a')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(guard.login('wrong', 'b')).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(failures).toEqual(['unknown', 'unknown', 'rate_limited', 'unknown']);
    now += 1000;
    await expect(guard.login('wrong', 'a')).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  test('auth on: a stored token goes through the authenticator and its grants are checked', async () => {
    const guard = createDoorGuard({ policy: 'auth', authenticator: onAuthenticator(), failures: accounting() });
    expect(guard.needsLogin).toBe(true);
    const principal = await guard.login('good', '127.0.0.1');
    expect(principal).toBe(producer);
    await expect(guard.login('bad', '127.0.0.1')).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(() => guard.authorize(principal, 'produce', 'emails')).not.toThrow();
    expect(() => guard.authorize(principal, 'consume', 'emails')).toThrow(ForbiddenError);
    expect(() => guard.authorize(principal, 'produce', null)).toThrow(ForbiddenError);
    expect(guard.allows(principal, 'produce', 'billing')).toBe(false);
  });

  test('auth on with a door token: the door token first, then the authenticator', async () => {
    const guard = createDoorGuard({
      policy: { token: 'good' },
      authenticator: onAuthenticator(),
      failures: accounting(),
    });
    expect(await guard.login('good', 'a')).toBe(producer);
    await expect(guard.login(DOOR_TOKEN, 'a')).rejects.toThrow('the door takes its own token');
  });

  test('auth on, policy open: no login, every call allowed', async () => {
    const guard = createDoorGuard({ policy: 'open', authenticator: onAuthenticator(), failures: accounting() });
    expect(guard.needsLogin).toBe(false);
    expect(await guard.login('bad', 'a')).toBe(OPEN_PRINCIPAL);
    expect(() => guard.authorize(producer, 'admin', null)).not.toThrow();
  });
});
