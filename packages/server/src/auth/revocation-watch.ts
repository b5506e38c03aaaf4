/**
 * Long-lived streams (the consumer stream, the event stream) were authenticated once, at their
 * start. This re-checks the stream's token every `intervalMs` through the token cache, and calls
 * `onRevoked` once when the token is gone or expired, so a revoked token's streams close within
 * the interval plus the cache TTL. Nothing runs while auth is off.
 */
import type { Authenticator } from './authenticator.ts';
import type { Principal } from './principal.ts';

export const REVOCATION_CHECK_MS = 500;

/** Starts watching; returns the function that stops it. */
export function watchRevocation(
  authenticator: Authenticator,
  principal: Principal,
  onRevoked: () => void,
  intervalMs = REVOCATION_CHECK_MS,
): () => void {
  if (!authenticator.enabled) return () => undefined;
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    authenticator.stillValid(principal).then(
      (valid) => {
        checking = false;
        if (valid) return;
        clearInterval(timer);
        onRevoked();
      },
      () => {
        checking = false;
      },
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
