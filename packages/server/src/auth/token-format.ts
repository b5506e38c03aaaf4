/**
 * The wire form of an access token: `dkt_<id>_<secret>`. `id` (80 random bits, hex) is public and
 * names the token in lists and revocations; `secret` is 256 random bits (base64url) that only the
 * holder knows. The store keeps the SHA-256 of the secret; checking a presented secret hashes it
 * and compares the digests in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_SHAPE = /^dkt_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/;

export interface MintedToken {
  readonly id: string;
  /** The whole token, `dkt_<id>_<secret>`: shown once, never stored. */
  readonly text: string;
  /** Hex SHA-256 of the secret: what the store keeps. */
  readonly hash: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function mintToken(): MintedToken {
  const id = randomBytes(10).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, text: `dkt_${id}_${secret}`, hash: hashSecret(secret) };
}

/** The id and secret of a token in wire form, or null when the text is not one. */
export function parseToken(text: string): { readonly id: string; readonly secret: string } | null {
  const match = TOKEN_SHAPE.exec(text);
  if (match === null) return null;
  const [, id, secret] = match;
  return id === undefined || secret === undefined ? null : { id, secret };
}

/** Whether `secret` hashes to `hash` (hex SHA-256), compared in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  const given = createHash('sha256').update(secret).digest();
  const stored = Buffer.from(hash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}

/** Constant-time equality of two strings of any length (by their SHA-256). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
