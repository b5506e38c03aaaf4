export { createClient, clientFromTransport, type Client, type ClientOptions } from './client.ts';
export type { Schedules } from './schedules.ts';
export {
  createQueue,
  type Queue,
  type QueueOptions,
  type EnqueueOptions,
  type EnqueueItem,
  type EnqueueAndWaitOptions,
  type WaitForOptions,
  type Enqueued,
  type Finished,
} from './queue.ts';
export type {
  Transport,
  EnqueueCallOptions,
  EnqueueRequest,
  EnqueueResult,
  LeaseRequest,
  AckRequest,
  NackRequest,
  ExtendRequest,
  WaitRequest,
  ListRequest,
  PageRequest,
  PurgeRequest,
  RedriveRequest,
  EventsRequest,
  ConsumeRequest,
  ConsumerStream,
  StreamClosed,
} from './transport.ts';
export { createHttpTransport, type HttpTransportOptions } from './http-transport.ts';
export { openConsumerStream } from './stream/consumer-stream.ts';
export { DEFAULT_RETRY, type RetryOptions } from './http-retry.ts';
export { errorFromWire, UnexpectedResponseError, type WireError } from './errors.ts';
export { WaitTimeoutError, JobFailedError } from './sdk-errors.ts';
export type { JobOf, LeasedJobOf } from './typed-job.ts';
export type { AttemptOutcome, JobAttempt, JobAttempts } from '@docket/protocol';
export { ENQUEUE_STACK_LIMIT } from './enqueue-stack.ts';
export {
  watchQueueLength,
  QUEUE_LENGTH_INTERVAL_MS_DEFAULT,
  type QueueLengthSample,
  type QueueLengthWatch,
  type WatchOptions,
} from './queue-length.ts';
export { createWorker, type Worker, type WorkerOptions } from './worker/worker.ts';
export type { WorkerEvents } from './worker/events.ts';
export type { Handler, HandlerContext } from './worker/handler.ts';
export type { CloseOptions } from './worker/closer.ts';
export {
  RetryLater,
  RateLimited,
  FailPermanently,
  LeaseLostError,
  JobTimeoutError,
  WorkerClosedError,
} from './worker/handler-errors.ts';
export {
  createTaskRegistry,
  taskQueue,
  TASK_QUEUE_PREFIX,
  MAX_TASKS,
  type TaskRegistry,
  type TaskRegistryOptions,
  type TaskWorkerOptions,
} from './tasks.ts';
export {
  defineJob,
  type JobType,
  type JobTypeOptions,
  type DispatchOptions,
  type JobListener,
  type JobHook,
  type HookEvent,
} from './job-type.ts';
