/**
 * The wire form of an access token: `dkt_<id>_<secret>`. `id` (80 random bits, hex) is public and
 * names the token in lists and revocations; `secret` is 256 random bits (base64url) that only the
 * holder knows. The store keeps the SHA-256 of the secret; checking a presented secret hashes it
 * and compares the digests in constant time (the authenticator then compares later requests with
 * the verified text, also in constant time, while it holds that record).
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `dkt_`, 20 lowercase hex digits (the id), `_`, 43 base64url characters (the secret). */
const PREFIX = 'dkt_';
const ID_LENGTH = 20;
const SECRET_LENGTH = 43;
const SECRET_AT = PREFIX.length + ID_LENGTH + 1;
const TOKEN_LENGTH = SECRET_AT + SECRET_LENGTH;

export interface MintedToken {
  readonly id: string;
  /** The whole token, `dkt_<id>_<secret>`: shown once, never stored. */
  readonly text: string;
  /** Hex SHA-256 of the secret: what the store keeps. */
  readonly hash: string;
}

export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** The SHA-256 of `text` (one-shot: about 0.8 µs, against 1.9 µs through createHash). */
export function digestOf(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

export function mintToken(): MintedToken {
  const id = randomBytes(10).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, text: `${PREFIX}${id}_${secret}`, hash: hashSecret(secret) };
}

const isHexDigit = (code: number): boolean => (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
const isBase64Url = (code: number): boolean =>
  (code >= 0x30 && code <= 0x39) ||
  (code >= 0x41 && code <= 0x5a) ||
  (code >= 0x61 && code <= 0x7a) ||
  code === 0x2d ||
  code === 0x5f;

/**
 * The id and secret of a token in wire form, or null when the text is not one. Read by position
 * and character class, not a regex: it runs on every authenticated request.
 */
export function parseToken(text: string): { readonly id: string; readonly secret: string } | null {
  if (text.length !== TOKEN_LENGTH || !text.startsWith(PREFIX) || text.charCodeAt(SECRET_AT - 1) !== 0x5f) return null;
  for (let i = PREFIX.length; i < SECRET_AT - 1; i += 1) if (!isHexDigit(text.charCodeAt(i))) return null;
  for (let i = SECRET_AT; i < TOKEN_LENGTH; i += 1) if (!isBase64Url(text.charCodeAt(i))) return null;
  return { id: text.slice(PREFIX.length, SECRET_AT - 1), secret: text.slice(SECRET_AT) };
}

/** Whether `secret` hashes to `stored` (the SHA-256 digest), compared in constant time. */
export function secretMatches(secret: string, stored: Buffer): boolean {
  const given = digestOf(secret);
  return stored.length === given.length && timingSafeEqual(given, stored);
}

/**
 * Whether two strings are equal, in time that depends only on their lengths (every code unit is
 * compared, no early exit): for checking a presented token against the text of one already
 * verified by its digest, without hashing again. Token lengths are public (one fixed shape).
 */
export function sameText(given: string, known: string): boolean {
  if (given.length !== known.length) return false;
  let difference = 0;
  for (let i = 0; i < known.length; i += 1) difference |= given.charCodeAt(i) ^ known.charCodeAt(i);
  return difference === 0;
}

/** Constant-time equality of two strings of any length (by their SHA-256). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digestOf(a), digestOf(b));
}

/** Constant-time equality of `text` with the string whose SHA-256 is `digest`. */
export function matchesDigest(text: string, digest: Buffer): boolean {
  return timingSafeEqual(digestOf(text), digest);
}
