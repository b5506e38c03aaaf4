/**
 * The dashboard's session, as plain functions of request headers (no HTTP framework). A login
 * (`POST /v1/session`) sets two cookies, both `SameSite=Strict`, `Path=/` (the API lives at the
 * server root whatever `--ui-base-path` says) and `Secure` over TLS:
 * - `docket_session`: the token itself, `HttpOnly`, so no script can read it. The server
 *   authenticates it on every call exactly as a Bearer token (same grants; a revoked or expired
 *   token stops working at once), so there is no session state to keep or share between servers.
 * - `docket_csrf`: readable by the page, which echoes it in the `X-Docket-CSRF` header of every
 *   call. Its value is an HMAC of the session token (key: the token), so it is bound to that
 *   session: a value planted by another site or subdomain cannot match, and the server checks it
 *   without storing anything.
 * Mutating calls authenticated by the cookie must carry the header with the value derived from
 * the cookie's token, compared in constant time; otherwise CSRF_FAILED (403), before any handler.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CsrfFailedError } from '@docket/protocol';

export const SESSION_COOKIE = 'docket_session';
export const CSRF_COOKIE = 'docket_csrf';
export const CSRF_HEADER = 'x-docket-csrf';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The value of cookie `name` in the request's `Cookie` header, or undefined. */
export function cookieOf(headers: Headers, name: string): string | undefined {
  const raw = headers['cookie'];
  const text = Array.isArray(raw) ? raw.join('; ') : raw;
  if (text === undefined) return undefined;
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return decode(pair.slice(eq + 1).trim());
  }
  return undefined;
}

/** The session token the request's cookie carries, or undefined. */
export function sessionTokenOf(headers: Headers): string | undefined {
  const token = cookieOf(headers, SESSION_COOKIE);
  return token === '' ? undefined : token;
}

/** The CSRF value bound to a session token. */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('docket-csrf').digest('base64url');
}

/** Whether a call with this method changes nothing, and so needs no CSRF header. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/** Throws CsrfFailedError unless the request's `X-Docket-CSRF` header is the session's value. */
export function checkCsrf(headers: Headers, sessionToken: string): void {
  const raw = headers[CSRF_HEADER];
  const given = Array.isArray(raw) ? raw[0] : raw;
  if (given === undefined || given === '') {
    throw new CsrfFailedError(
      'missing CSRF token: a call made with the session cookie needs the X-Docket-CSRF header',
      {
        reason: 'missing',
      },
    );
  }
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new CsrfFailedError('wrong CSRF token: X-Docket-CSRF does not match the session', { reason: 'mismatch' });
  }
}

function attributes(httpOnly: boolean, secure: boolean): string {
  return `; Path=/${httpOnly ? '; HttpOnly' : ''}; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` values of a login with `sessionToken`. */
export function sessionCookies(sessionToken: string, secure: boolean): string[] {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(sessionToken)}${attributes(true, secure)}`,
    `${CSRF_COOKIE}=${csrfTokenOf(sessionToken)}${attributes(false, secure)}`,
  ];
}

/** The `Set-Cookie` values of a logout: both cookies expired. */
export function clearedCookies(secure: boolean): string[] {
  const gone = '; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
  return [`${SESSION_COOKIE}=${gone}${attributes(true, secure)}`, `${CSRF_COOKIE}=${gone}${attributes(false, secure)}`];
}
