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
  type Page,
} from './queue.ts';
export { WORKER_ID_PATTERN, type WorkerInfo } from './worker.ts';
export {
  ErrorCode,
  DocketError,
  InvalidArgumentError,
  UnauthenticatedError,
  ForbiddenError,
  JobNotFoundError,
  QueueNotFoundError,
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
