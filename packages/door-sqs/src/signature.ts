/**
 * The one place request signatures are checked: every request passes through `authenticate`
 * before its action runs. While Docket's authentication is on (the guard needs a login), the
 * request must carry an AWS Signature Version 4 (sigv4.ts) whose access key id is a Docket token
 * and whose secret access key is the same token: the signature is verified with the token as the
 * secret, then the token is looked up like a Bearer token (its grants, expiry, revocation). With
 * authentication off, signatures are accepted unchecked, or none.
 *
 * Refusals, in this order: no signature `MissingAuthenticationToken` (403), an unreadable one
 * `IncompleteSignature` (400), a wrong one `SignatureDoesNotMatch` (403), a signing time more
 * than 15 minutes away (or a presigned request past its expiry) `RequestExpired` (400), an
 * unknown, revoked or expired token `InvalidClientTokenId` (403); an address that failed too
 * often `OverLimit` (403, the guard's rate limit). Each refusal is a failed authentication: the
 * guard counts it (`missing`, `malformed`, `unknown` for a wrong signature, `expired` for a
 * stale signing time; the token's own refusals in its login) and spends the address's budget,
 * so a guesser gets OverLimit past the burst whichever way it fails.
 */
import { UnauthenticatedError } from '@docket/protocol';
import { OPEN_PRINCIPAL, type DoorGuard, type Principal, type RefusalReason } from '@docket/server';
import { sqsErrors, type SqsError } from './errors.ts';
import {
  IncompleteSignature,
  MAX_SKEW_MS,
  payloadClaimHolds,
  signatureMatches,
  signatureOf,
  signedAt,
  type Signature,
} from './sigv4.ts';
import type { RawRequest } from './wire/protocols.ts';

/** A failure found before the login, with the reason the guard counts it under. */
class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly error: SqsError,
  ) {
    super(error.message);
    this.name = 'Refusal';
  }
}

function readSignature(request: RawRequest): Signature {
  let signature: Signature | null;
  try {
    signature = signatureOf(request);
  } catch (err) {
    if (err instanceof IncompleteSignature) throw new Refusal('malformed', sqsErrors.incompleteSignature(err.message));
    throw err;
  }
  if (signature === null) throw new Refusal('missing', sqsErrors.missingAuthenticationToken());
  return signature;
}

function checkTime(signature: Signature, now: number): void {
  const at = signedAt(signature.amzDate);
  if (Number.isNaN(at)) {
    throw new Refusal(
      'malformed',
      sqsErrors.incompleteSignature(`X-Amz-Date ${signature.amzDate} is not yyyymmddThhmmssZ.`),
    );
  }
  if (!signature.amzDate.startsWith(signature.scopeDate))
    throw new Refusal('unknown', sqsErrors.signatureDoesNotMatch());
  const expired = (message: string) => new Refusal('expired', sqsErrors.requestExpired(message));
  if (at > now + MAX_SKEW_MS) {
    throw expired(
      `Signature not yet current: ${signature.amzDate} is still later than the server's time plus 15 minutes.`,
    );
  }
  if (signature.expiresSeconds === undefined) {
    if (at < now - MAX_SKEW_MS) {
      throw expired(`Signature expired: ${signature.amzDate} is now earlier than the server's time minus 15 minutes.`);
    }
  } else if (now > at + signature.expiresSeconds * 1000) {
    throw expired(`Request has expired: signed at ${signature.amzDate} for ${signature.expiresSeconds} seconds.`);
  }
}

/** Who sent the request (the open principal while auth is off); throws the SqsError of a refusal. */
export async function authenticate(
  guard: DoorGuard,
  request: RawRequest,
  address: string,
  now: number,
): Promise<Principal> {
  if (!guard.needsLogin) return OPEN_PRINCIPAL;
  try {
    const signature = readSignature(request);
    if (!payloadClaimHolds(request) || !signatureMatches(request, signature, signature.accessKeyId)) {
      throw new Refusal('unknown', sqsErrors.signatureDoesNotMatch());
    }
    checkTime(signature, now);
    return await login(guard, signature, address);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    guard.failed(err.reason, address);
    throw err.error;
  }
}

async function login(guard: DoorGuard, signature: Signature, address: string): Promise<Principal> {
  try {
    return await guard.login(signature.accessKeyId, address);
  } catch (err) {
    if (err instanceof UnauthenticatedError) throw sqsErrors.invalidClientTokenId();
    throw err;
  }
}
