export { createEngine, type EngineOptions } from './engine.ts';
export type {
  Engine,
  EnqueueInput,
  LeaseOptions,
  AckOptions,
  AckItem,
  NackOptions,
  NackItem,
  ExtendOptions,
  WaitOptions,
  ListOptions,
  PageOptions,
} from './engine-api.ts';
export type { EngineEvents, EngineEventName } from './events.ts';
export { EventHub, type Listener } from './event-hub.ts';
export { onJobEvents, type JobEventListener } from './job-event-feed.ts';
export { systemClock, manualClock, type Clock, type ManualClock, type TimerHandle } from './clock.ts';
export type {
  Store,
  StoreCapabilities,
  NewJob,
  EnqueueResult,
  NackTarget,
  JobAckParams,
  JobAckItem,
  JobAckManyParams,
  SettleOutcome,
  JobCancelParams,
  JobDeleteParams,
  JobDeleteRetainedParams,
  JobEnqueueManyParams,
  JobExpireDueParams,
  JobExtendParams,
  JobGetParams,
  JobLeaseParams,
  LeaseResult,
  LeaseThrottle,
  JobLeaseExpiredParams,
  JobListParams,
  JobNackParams,
  JobNackItem,
  JobNackManyParams,
  JobPromoteDueParams,
  QueueRefParams,
  QueueConfigureParams,
  QueueCountFailuresParams,
  QueueStateParams,
  QueueListParams,
  QueuePurgeParams,
  QueueRedriveParams,
  WorkerListParams,
  WorkerSeenParams,
} from './store.ts';
export type { ServicesConfig } from './services/engine-services.ts';
export { TRANSITIONS, isAllowedTransition, type Transition, type TransitionCause } from './state.ts';
export * as defaults from './defaults.ts';
