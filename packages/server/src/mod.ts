export { buildApp, API_ROUTES, type AppAuthOptions, type BuildAppOptions, type DocketApp } from './app.ts';
export { closeApp, type CloseAppOptions } from './shutdown.ts';
export { createCommitMetrics, type CommitMetrics, type CommitObservation } from './metrics/commit-metrics.ts';
export { createMetricsRegistry, type MetricsRegistry } from './metrics/metrics.ts';
export { TLS_MIN_VERSION, type TlsMaterial } from './listeners/tls-server.ts';
export { DEFAULT_LIMITS, DEFAULT_TIMEOUTS, type ServerLimits, type ServerTimeouts } from './limits.ts';
export { HTTP_STATUS_BY_CODE, httpStatusOf, type ErrorBody } from './http-errors.ts';
export type { FrontDoor } from './doors/door-context.ts';
export { requestSignal, type RequestSignal } from './streaming/long-poll.ts';
export { CloseNotice } from './close-notice.ts';
export { UI_SESSION_HEADER } from './ui-read-only.ts';
export type { StoreFile } from './routes/route.ts';
export {
  createAuthenticator,
  openAuthenticator,
  AUTH_FAILURE_REASONS,
  type Authenticator,
  type AuthOptions,
  type AuthFailureReason,
} from './auth/authenticator.ts';
export { authorize, authorizeAll, allows } from './auth/authorize.ts';
export { authorizeJobs, authorizeRequest, type RouteAccess } from './auth/access.ts';
export { OPEN_PRINCIPAL, type Principal } from './auth/principal.ts';
export type { TokenStore } from './auth/token-store.ts';
export type { MetricsPolicy } from './auth/auth-hooks.ts';
export {
  checkHost,
  checkOrigin,
  checkMediaType,
  DEFAULT_BROWSER_POLICY,
  type BrowserPolicy,
} from './auth/browser-guard.ts';
export { authorizationOf } from './auth/auth-hooks.ts';
export { DOOR_NAMES, doorCallOf, type DoorName, type DoorPolicy } from './auth/door-access.ts';
export type { DoorPolicies } from './auth/door-hooks.ts';
export { doorGuard, openDoorGuard, type DoorGuard, type GuardedDoor } from './auth/door-guard.ts';
export type { RefusalReason } from './auth/failure-accounting.ts';
