/**
 * Authentication, as plain functions of a request's Authorization header and client address (no
 * HTTP framework): `authenticate` turns `Bearer dkt_…` into the token's Principal, or throws
 * UnauthenticatedError with `details.reason` (missing, malformed, unknown, expired), or
 * RateLimitedError when the address failed too often (failure-limiter.ts). The bootstrap admin
 * token (DOCKET_ADMIN_TOKEN) is compared in constant time and holds every action on every queue.
 * With auth off, every call returns the open principal.
 *
 * Token records come from the token cache (token-cache.ts): revocation anywhere is seen here
 * within its TTL.
 */
import { RateLimitedError, UnauthenticatedError, parseGrant } from '@docket/protocol';
import type { TokenRecord } from '@docket/core';
import { authFailureLimiter, type FailureLimiter } from './failure-limiter.ts';
import { ALL_GRANTS, OPEN_PRINCIPAL, type Principal } from './principal.ts';
import { TokenCache } from './token-cache.ts';
import { digestOf, matchesDigest, parseToken, sameText, secretMatches } from './token-format.ts';
import type { TokenStore } from './token-store.ts';

export const AUTH_FAILURE_REASONS = ['missing', 'malformed', 'unknown', 'expired', 'rate_limited'] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

export interface AuthOptions {
  /** Where tokens live: the server's store. */
  readonly tokens: TokenStore;
  /** A bootstrap admin token (any string of 32 or more characters), accepted besides stored tokens. */
  readonly adminToken?: string;
  /** Token records are re-read at most this often (default 500 ms: revocation within 1 s). */
  readonly cacheTtlMs?: number;
  /** Failed authentications allowed at once per client address (default 20), then 1 per second. */
  readonly failureBurst?: number;
  readonly now?: () => number;
}

export interface Authenticator {
  readonly enabled: boolean;
  /** The principal of a request, from its `Authorization` header and client address. */
  authenticate(authorization: string | undefined, address: string): Promise<Principal>;
  /**
   * The same decision without a promise when the token cache can answer at once (a hit, the
   * admin token, a refusal that needs no store read: those throw here); a promise otherwise.
   * `client.ip` is read only when the failure limiter needs the address (a fastify request's
   * `ip` getter asks the socket each time).
   */
  authenticateNow(authorization: string | undefined, client: Client): Principal | Promise<Principal>;
  /** Whether the principal's token still exists and has not expired (long-lived streams ask this). */
  stillValid(principal: Principal): Promise<boolean>;
  /** Forgets a token this server revoked, so it stops working here at once. */
  forget(id: string): void;
  /** Called for each failed authentication with its reason (the metrics count them). */
  onFailure(listener: (reason: AuthFailureReason) => void): void;
}

/** Whose request it is: its address, read only when needed. */
export interface Client {
  readonly ip: string;
}

const ADMIN_ID = 'admin';

const BEARER = /^Bearer +(\S+) *$/i;
const SCHEME = 'bearer ';

interface Verified {
  readonly digest: Buffer;
  readonly principal: Principal;
  /** The token text that matched the digest (undefined until one did). */
  text: string | undefined;
}

/**
 * The token of an Authorization value `Bearer <token>` (scheme in any case, spaces around the
 * token), or undefined. The common form (one space, a printable ASCII token) is read without the
 * regex; anything else goes through it, so both agree on every input.
 */
export function bearerToken(authorization: string): string | undefined {
  const length = authorization.length;
  if (length > SCHEME.length && authorization.slice(0, SCHEME.length).toLowerCase() === SCHEME) {
    let plain = true;
    for (let i = SCHEME.length; i < length && plain; i += 1) {
      const code = authorization.charCodeAt(i);
      plain = code > 0x20 && code < 0x7f;
    }
    if (plain) return authorization.slice(SCHEME.length);
  }
  return BEARER.exec(authorization)?.[1];
}

export function openAuthenticator(): Authenticator {
  return {
    enabled: false,
    authenticate: () => Promise.resolve(OPEN_PRINCIPAL),
    authenticateNow: () => OPEN_PRINCIPAL,
    stillValid: () => Promise.resolve(true),
    forget: () => undefined,
    onFailure: () => undefined,
  };
}

/** `limiter`: the failure limiter, when the app shares it with its other checks (failure-accounting.ts). */
export function createAuthenticator(
  options: AuthOptions,
  limiter: FailureLimiter = authFailureLimiter(options.failureBurst),
): Authenticator {
  const now = options.now ?? Date.now;
  const listeners: ((reason: AuthFailureReason) => void)[] = [];
  const cache = new TokenCache({
    tokens: options.tokens,
    now,
    ttlMs: options.cacheTtlMs ?? 500,
    touchEveryMs: 60_000,
    maxEntries: 10_000,
    onTouchError: () => undefined,
  });
  const admin: Principal = { id: ADMIN_ID, name: 'admin', grants: ALL_GRANTS };
  const adminDigest = options.adminToken === undefined ? undefined : digestOf(options.adminToken);
  /**
   * Per token record (a new object whenever the cache reloads it, at least every `cacheTtlMs`):
   * its digest, its principal and, once a presented text matched the digest, that text, so a
   * later request is checked by a constant-time comparison of the texts instead of a hash.
   */
  const verified = new WeakMap<TokenRecord, Verified>();
  const verifiedOf = (record: TokenRecord): Verified => {
    let known = verified.get(record);
    if (known === undefined) {
      known = {
        digest: Buffer.from(record.hash, 'hex'),
        principal: { id: record.id, name: record.name, grants: record.grants.map(parseGrant) },
        text: undefined,
      };
      verified.set(record, known);
    }
    return known;
  };
  const matches = (known: Verified, parsed: { readonly secret: string }, text: string): boolean => {
    if (known.text !== undefined && sameText(text, known.text)) return true;
    if (!secretMatches(parsed.secret, known.digest)) return false;
    known.text = text;
    return true;
  };

  const fail = (reason: Exclude<AuthFailureReason, 'rate_limited'>, address: string, message: string): never => {
    limiter.failed(address, now());
    for (const listener of listeners) listener(reason);
    throw new UnauthenticatedError(message, { reason });
  };

  /** The principal of a well-formed stored token's record (null: not in the store). */
  const ofRecord = (
    record: TokenRecord | null,
    parsed: { readonly id: string; readonly secret: string },
    text: string,
    client: Client,
    at: number,
  ): Principal => {
    const known = record === null ? null : verifiedOf(record);
    if (record === null || known === null || !matches(known, parsed, text)) {
      if (adminDigest !== undefined && matchesDigest(text, adminDigest)) return admin;
      return fail('unknown', client.ip, 'invalid token: unknown or revoked');
    }
    if (record.expiresAt !== null && record.expiresAt <= at)
      return fail('expired', client.ip, 'invalid token: expired');
    cache.used(record.id, at);
    return known.principal;
  };

  /**
   * A stored token is checked first (one digest on the hot path), the admin token when the text
   * is not one: both comparisons stay constant-time. Synchronous on a token-cache hit.
   */
  const fromToken = (text: string, client: Client, at: number): Principal | Promise<Principal> => {
    const parsed = parseToken(text);
    if (parsed === null) {
      if (adminDigest !== undefined && matchesDigest(text, adminDigest)) return admin;
      return fail('malformed', client.ip, 'invalid token: expected Bearer dkt_<id>_<secret>');
    }
    const cached = cache.peek(parsed.id, at);
    if (cached !== undefined) return ofRecord(cached, parsed, text, client, at);
    return cache.get(parsed.id).then((record) => ofRecord(record, parsed, text, client, now()));
  };

  /** Refuses an address out of failure budget, unless its token is known good. */
  const checkBlocked = (text: string | undefined, address: string, at: number): void => {
    const blockedMs = limiter.blockedFor(address, at);
    if (blockedMs <= 0) return;
    const id = text === undefined ? undefined : parseToken(text)?.id;
    if (id !== undefined && cache.knownValid(id, at)) return;
    for (const listener of listeners) listener('rate_limited');
    throw new RateLimitedError('too many failed authentications from this address', { retryAfterMs: blockedMs });
  };

  const authenticateNow = (authorization: string | undefined, client: Client): Principal | Promise<Principal> => {
    const text = authorization === undefined ? undefined : bearerToken(authorization);
    const at = now();
    if (limiter.tracking) checkBlocked(text, client.ip, at);
    if (authorization === undefined || authorization === '') {
      return fail('missing', client.ip, 'missing credentials: send Authorization: Bearer <token>');
    }
    if (text === undefined) return fail('malformed', client.ip, 'invalid credentials: expected Bearer <token>');
    return fromToken(text, client, at);
  };

  return {
    enabled: true,
    authenticateNow,
    async authenticate(authorization, address) {
      return authenticateNow(authorization, { ip: address });
    },
    async stillValid(principal) {
      if (principal.id === ADMIN_ID) return true;
      const record = await cache.get(principal.id);
      return record !== null && (record.expiresAt === null || record.expiresAt > now());
    },
    forget(id) {
      cache.forget(id);
    },
    onFailure(listener) {
      listeners.push(listener);
    },
  };
}
