export {
  JOB_STATES,
  DEAD_REASONS,
  NACK_PLACEMENTS,
  isFinished,
  type JobState,
  type DeadReason,
  type NackPlacement,
  type JsonValue,
  type PayloadEncoding,
  type BackoffPolicy,
  type JobError,
  type JobMeta,
  type Job,
  type LeasedJob,
} from './job.ts';
export {
  QUEUE_NAME_PATTERN,
  isQueueName,
  type QueueConfig,
  type QueueCounts,
  type QueueInfo,
  type QueueStats,
  type QueueTotals,
  type Page,
} from './queue.ts';
export { WORKER_ID_PATTERN, type WorkerInfo } from './worker.ts';
export type {
  AckOptions,
  EnqueueInput,
  EnqueueResult,
  ExtendOptions,
  LeaseOptions,
  ListOptions,
  NackOptions,
  PageOptions,
  WaitOptions,
} from './operations.ts';
export {
  ErrorCode,
  DocketError,
  InvalidArgumentError,
  UnauthenticatedError,
  ForbiddenError,
  JobNotFoundError,
  QueueNotFoundError,
  TokenNotFoundError,
  RouteNotFoundError,
  LeaseMismatchError,
  JobExpiredError,
  JobFinishedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  RateLimitedError,
  QueueFullError,
  UnavailableError,
  StorageFullError,
  InternalError,
  isDocketError,
  type ErrorDetails,
} from './errors.ts';
export { encodePayload, decodePayload } from './payload.ts';
export {
  BackoffSchema,
  JobOptionsSchema,
  QueueConfigSchema,
  LeaseOptionsSchema,
  type JobOptions,
} from './job-options.ts';
export * as limits from './limits.ts';
export {
  StreamAckSchema,
  StreamNackSchema,
  StreamExtendSchema,
  StreamWindowSchema,
  STREAM_CLOSE_REASONS,
  STREAM_CLOSE_CODES,
  type StreamAck,
  type StreamNack,
  type StreamExtend,
  type StreamWindow,
  type StreamClientMessage,
  type StreamRef,
  type StreamCloseReason,
  type StreamServerMessage,
} from './stream.ts';
export {
  JOB_EVENT_TYPES,
  EVENT_ERROR_MESSAGE_LENGTH,
  jobEventData,
  type JobEventType,
  type JobEventData,
  type JobEvent,
  type MissedEvents,
  type QueueEvent,
} from './job-events.ts';
export { bufferedRandom } from './random.ts';
export {
  ACTIONS,
  isAction,
  parseGrant,
  formatGrant,
  patternMatches,
  grantsAllow,
  grantsAllowAll,
  type Action,
  type Grant,
} from './grants.ts';
export { TOKEN_NAME_PATTERN, type TokenInfo } from './tokens.ts';
