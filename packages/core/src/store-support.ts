/** Helpers for Store implementations (the stores' shared code); not part of the engine's public surface. */
export {
  encodeNumberCursor,
  decodeNumberCursor,
  encodeStringCursor,
  decodeStringCursor,
} from './store-support/cursor.ts';
export { newJobToJob } from './store-support/new-job.ts';
export { readMigrations, unknownVersions, type Migration } from './store-support/migrations.ts';
export {
  leaseAllowance,
  leaseResult,
  leaseThrottle,
  mergeThrottles,
  queueFlow,
  RateWindow,
  type QueueFlow,
} from './store-support/flow-control.ts';
export {
  GROUP_LANE,
  GROUP_RING_CHUNK,
  GROUP_RING_SCAN_MAX,
  GroupRingScan,
  groupLimits,
  groupRoom,
  groupThrottle,
  roundRobin,
  servedOrder,
  type GroupLimits,
  type GroupRoom,
  type OpenGroup,
  type RingGroup,
  type RingRow,
} from './store-support/groups.ts';
export { tokenPage, tokenPageAfter } from './store-support/token-page.ts';
export { schedulePage, schedulePageAfter } from './store-support/schedule-page.ts';
export { scheduleFireEach } from './store-support/schedule-fire-each.ts';
export {
  EMPTY_ATTEMPTS,
  appendAttempt,
  attemptOutcome,
  endedAttempt,
  parseAttemptLog,
} from './store-support/attempt-history.ts';
