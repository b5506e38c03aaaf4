/**
 * The Store port: one semantic interface that every store implements (SQLite, and later Redis
 * and PostgreSQL). Methods are entity-first and alphabetized, take one params object, and take
 * the current time as `now` (a store never reads a clock). Policy (retries, backoff, where a
 * failed job goes) is decided in core; a store applies the target core computed, atomically,
 * and only while the lease token still matches.
 *
 * Invariants every implementation keeps (the conformance suite in store-testkit checks them):
 * - A write resolves only after it is committed and durable (fsync or the backend's equivalent).
 *   Group commit is allowed and invisible here.
 * - Each method is atomic: it happens entirely or not at all; a rejected call changes nothing,
 *   except that ack, nack and extend of an active job past its `expiresAt` move it to dead
 *   (`expired`) before rejecting with JobExpiredError (expiry beats everything).
 * - Two lease calls never return the same job unless it was given back or reaped in between.
 * - Waiting order: priority descending, then `runAt` (ready time) ascending, then `seq` ascending.
 * - Refusal order of ack, nack and extend: missing → JobNotFoundError; dead with reason
 *   `expired` → JobExpiredError (whatever the token); not active, or another token →
 *   LeaseMismatchError (nothing changes); active past `expiresAt` → dead (`expired`), committed,
 *   then JobExpiredError.
 * - Finished jobs keep `attempts`, `attemptStartedAt`, `startedAt` and `worker` as history; the
 *   lease token and lease deadline are cleared whenever a job leaves `active`.
 * - Every applied nack (a failure, the reaper's, or a placement) appends one entry to the job's
 *   attempt history (jobAttempts) in the same atomic step, keeping the latest
 *   MAX_ATTEMPT_HISTORY and counting the dropped ones; nothing else writes it (a lease or an ack
 *   never does), redrive and retry keep it, and it goes with the job.
 * - A queue's `totals` (lifetime counts) change in the same atomic step as the ack or nack that
 *   counts in them, and never shrink but by a purge that resets them or the queue's deletion.
 * - Errors are protocol classes (JobNotFoundError, LeaseMismatchError, JobExpiredError,
 *   JobFinishedError, UnavailableError, StorageFullError); driver errors are wrapped with `cause`.
 */
import type {
  BackoffPolicy,
  DeadReason,
  EnqueueResult,
  GroupStats,
  Job,
  JobAttempts,
  JobError,
  JobMeta,
  JobState,
  JsonValue,
  LeasedJob,
  Page,
  PayloadEncoding,
  QueueConfig,
  QueueCounts,
  QueueInfo,
  ScheduleSpec,
  TokenInfo,
  WorkerInfo,
} from '@docket/protocol';

/** What a store can do beyond the port's baseline; the engine and the suite branch on these. */
export interface StoreCapabilities {
  /** Wakes waiting consumers on other nodes sharing the store (see `notifyReady` and `onReady`). */
  readonly notify: boolean;
  /**
   * Several engines share this store and it takes time from its backend (Redis `TIME`, the
   * database's clock), so nodes with skewed clocks agree. Such a store takes the backend's time
   * `t` in each operation (read then, or extrapolated from a recent reading to within a round
   * trip) and shifts every absolute time in the params by `t - p.now` (`now`
   * itself becomes `t`; `runAt`, `createdAt`, `expiresAt`, `dedupUntil`, a nack target's
   * `runAt` and a nack error's `at` move with it), so durations the engine computed are kept
   * exactly. Jobs it returns carry backend times. `jobDeleteRetained` takes no `now`, so its
   * bounds are used as given: retention is off by the caller's skew, which hours-long retention
   * windows absorb. A store may offer a caller-time mode for tests on a manual clock.
   */
  readonly sharedClock: boolean;
  /**
   * A write called after another, without waiting for it, is applied after it (in the same
   * transaction or a later one) and so sees its effects. With it, the engine wakes long-polling
   * consumers as soon as an enqueue is handed to the store, and their leases join the enqueue's
   * own commit: a waiting consumer gets a new job after one commit, not two. SQLite's commit
   * batcher runs writes in call order; a store that sends writes over several connections (a pool)
   * cannot promise it.
   */
  readonly orderedWrites: boolean;
}

/** A job to insert, fully resolved by the engine (defaults applied, state and times computed). */
export interface NewJob {
  readonly id: string;
  readonly queue: string;
  readonly name: string | null;
  readonly state: 'waiting' | 'delayed';
  readonly encoding: PayloadEncoding;
  readonly data: JsonValue | Uint8Array;
  readonly priority: number;
  readonly createdAt: number;
  readonly runAt: number;
  readonly expiresAt: number | null;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly leaseMs: number;
  readonly timeoutMs: number | null;
  readonly dedupKey: string | null;
  /**
   * While `now < dedupUntil`, enqueueing the same `dedupKey` in the same queue returns this job.
   * A null `dedupUntil` (or a null `dedupKey`) deduplicates nothing.
   */
  readonly dedupUntil: number | null;
  /**
   * The job's group (absent: none). In a queue with group settings (`groupConcurrency`) a store
   * keeps a job without a group in the queue's ungrouped lane (see GROUP_LANE).
   */
  readonly group?: string;
  readonly meta: JobMeta;
}

export type { EnqueueResult } from '@docket/protocol';

export interface JobAckParams {
  readonly id: string;
  readonly token: string;
  readonly now: number;
  readonly result: JsonValue | null;
}

/** One item of jobAckMany: jobAck's params without `now`, which the batch gives once. */
export type JobAckItem = Omit<JobAckParams, 'now'>;

/**
 * Acks many jobs in one store round trip (one group commit, one script call or one pipeline).
 * Each item succeeds or fails on its own, as if each were a jobAck at `now`, applied in order: a
 * refused item changes nothing (apart from the expiry rule) and does not stop the others.
 */
export interface JobAckManyParams {
  readonly acks: readonly JobAckItem[];
  readonly now: number;
}

/** What one item of a batch ack or nack came to: the job after the change, or the refusal. */
export type SettleOutcome = { readonly ok: true; readonly job: Job } | { readonly ok: false; readonly error: Error };

export interface JobCancelParams {
  readonly id: string;
  readonly now: number;
}

export interface JobDeleteParams {
  readonly id: string;
}

/** Deletes finished jobs of one queue past retention; the retention-cleaner computes the bounds. */
export interface JobDeleteRetainedParams {
  readonly queue: string;
  /** Completed jobs with `finishedAt < completedBefore` go. */
  readonly completedBefore: number;
  /** Completed jobs beyond the newest `completedKeep` (by finishedAt, then seq) go. */
  readonly completedKeep: number;
  /** Dead jobs with `finishedAt < deadBefore` go. */
  readonly deadBefore: number;
  /** At most this many rows per call, so a backlog cannot block a commit for long. */
  readonly limit: number;
}

export interface JobEnqueueManyParams {
  /** All or nothing. Duplicate ids inside one batch resolve to the first. */
  readonly jobs: readonly NewJob[];
  readonly now: number;
}

export interface JobExpireDueParams {
  readonly now: number;
  readonly limit: number;
}

/**
 * Extends the current lease to `now + leaseMs`, but never past `attemptStartedAt + timeoutMs`
 * when the job has a `timeoutMs` (the hard limit of one attempt).
 */
export interface JobExtendParams {
  readonly id: string;
  readonly token: string;
  readonly now: number;
  readonly leaseMs: number;
}

export interface JobGetParams {
  readonly id: string;
}

/**
 * Claims up to `max` waiting jobs from the given queues, skipping paused queues and jobs whose
 * `expiresAt <= now`, in waiting order across all the queues. Each claimed job gets
 * `attempts + 1`, the next unused token of `tokens`, `attemptStartedAt = now`,
 * `startedAt ??= now`, `worker`, and `leaseExpiresAt = now + (leaseMs ?? job.leaseMs)`, capped at
 * `now + job.timeoutMs` when the job has one. When `worker` is set the worker registry records it
 * (a worker first seen here is registered with the lease's queues). Unknown queues are empty and
 * are not created.
 */
export interface JobLeaseParams {
  readonly queues: readonly string[];
  readonly max: number;
  readonly now: number;
  readonly leaseMs: number | null;
  readonly worker: string | null;
  /** Fresh tokens, one per job that may be claimed (`tokens.length >= max`). */
  readonly tokens: readonly string[];
}

/**
 * After this lease a queue's `concurrency` or `rateLimit` (QueueConfig) is used up, so a lease
 * now would get nothing from it even if it has ready jobs. `retryInMs`: when the rate window that ran out opens again (a duration, so the caller's
 * clock need not agree with the store's); null when only a concurrency limit held (it opens when
 * an active job of the queue leaves `active`).
 */
export interface LeaseThrottle {
  readonly retryInMs: number | null;
}

/** jobLease's answer: the claimed jobs in waiting order, with `throttle` when a limit held jobs back. */
export type LeaseResult = LeasedJob[] & { throttle?: LeaseThrottle };

export interface JobLeaseExpiredParams {
  readonly now: number;
  readonly limit: number;
}

/**
 * Lists one queue's jobs. Order: waiting in lease order (peek), delayed by (`runAt`, `seq`), the
 * other states and a null state by `seq`. The cursor is opaque and store-specific.
 */
export interface JobListParams {
  readonly queue: string;
  /** Null lists every state. */
  readonly state: JobState | null;
  readonly limit: number;
  readonly cursor: string | null;
}

/**
 * Where a nacked or failed job goes; computed by core's policies. `front`: ahead of every waiting
 * job of its queue and priority (`runAt = min(now, MIN(runAt of those) - 1)`). `back`: behind
 * every one of them (`runAt = max(now, MAX(runAt of those) + 1)`).
 */
export type NackTarget =
  | { readonly state: 'waiting'; readonly placement: 'front' | 'back' }
  | { readonly state: 'delayed'; readonly runAt: number }
  | { readonly state: 'dead'; readonly reason: DeadReason };

export interface JobNackParams {
  readonly id: string;
  readonly token: string;
  readonly now: number;
  readonly target: NackTarget;
  /**
   * `placement`: the consumer chose where the job goes (counts in `nacks`, and in
   * `delayedNacks` when the target is delayed). `failure`: a failed attempt (counts in the
   * worker's `failed`); `error` is recorded either way when given.
   */
  readonly kind: 'placement' | 'failure';
  readonly error: JobError | null;
  /**
   * With `kind: 'placement'` and a `delayed` target only: the handler met a downstream rate
   * limit and gives the lease back. The job's `attempts` goes back down by one (the attempt is
   * not spent against `maxAttempts`), nothing is appended to its attempt history, and it counts
   * in `nacks` and `delayedNacks` as a placement does. It still holds its group while delayed.
   */
  readonly rateLimited?: boolean;
  /**
   * The lease-reaper sets this: apply only if the lease has run out (`leaseExpiresAt <= now`);
   * otherwise LeaseMismatchError and nothing changes.
   */
  readonly leaseExpiredOnly: boolean;
}

/** One item of jobNackMany: jobNack's params without `now`, which the batch gives once. */
export type JobNackItem = Omit<JobNackParams, 'now'>;

/** Nacks many jobs in one store round trip; items succeed or fail on their own, as in jobAckMany. */
export interface JobNackManyParams {
  readonly nacks: readonly JobNackItem[];
  readonly now: number;
}

export interface JobPromoteParams {
  readonly id: string;
  readonly now: number;
}

export interface JobRetryParams {
  readonly id: string;
  readonly now: number;
}

export interface JobPromoteDueParams {
  readonly now: number;
  readonly limit: number;
}

export interface QueueRefParams {
  readonly queue: string;
}

export interface QueueConfigureParams {
  readonly queue: string;
  readonly config: QueueConfig;
  readonly now: number;
}

export interface QueueStateParams {
  readonly queue: string;
  readonly now: number;
}

export interface QueueGroupsParams {
  readonly queue: string;
  /** At most this many groups, the deepest first. */
  readonly limit: number;
}

export interface QueueListParams {
  readonly limit: number;
  readonly cursor: string | null;
}

export interface QueueCountFailuresParams {
  readonly queue: string;
  /** Failures to add: a positive integer. */
  readonly count: number;
  readonly now: number;
}

export interface QueuePurgeParams {
  readonly queue: string;
  /** Null purges every state. */
  readonly states: readonly JobState[] | null;
  /** Sets the queue's totals back to 0 as well; core's policy decides (policy/totals.ts). */
  readonly resetTotals: boolean;
}

/**
 * Dead jobs go back to waiting with `attempts = 0`, `runAt = now`, `expiresAt = null` (a new
 * life: an expired job redriven must be leasable), `deadReason` and `finishedAt` cleared; the
 * last error is kept.
 */
export interface QueueRedriveParams {
  readonly queue: string;
  readonly reason: DeadReason | null;
  readonly now: number;
  readonly limit: number;
}

/** An access token as stored: its public fields and the SHA-256 of its secret, never the secret. */
export interface TokenRecord extends TokenInfo {
  /** Lower-case hex SHA-256 of the secret part of the token. */
  readonly hash: string;
}

export interface TokenCreateParams {
  readonly token: TokenRecord;
}

export interface TokenRefParams {
  readonly id: string;
}

export interface TokenListParams {
  readonly limit: number;
  readonly cursor: string | null;
}

export interface TokenTouchParams {
  readonly id: string;
  readonly lastUsedAt: number;
}

export interface WorkerListParams {
  readonly limit: number;
  readonly cursor: string | null;
}

export interface WorkerSeenParams {
  readonly id: string;
  readonly queues: readonly string[];
  readonly now: number;
}

/**
 * A schedule as stored. `version` grows by one with every write of the record (a put, a fire),
 * so a fire can be applied only to the record it was planned from. Schedule times are the
 * engine's (not rebased onto backend time): ticks are absolute instants.
 */
export interface ScheduleRecord {
  readonly name: string;
  readonly spec: ScheduleSpec;
  readonly paused: boolean;
  readonly nextFireAt: number | null;
  readonly lastFireAt: number | null;
  readonly fires: number;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ScheduleRefParams {
  readonly name: string;
}

/**
 * Creates the schedule or replaces its spec, `paused` and `nextFireAt`; a replaced schedule
 * keeps its `fires`, `lastFireAt` and `createdAt`. `version` becomes 1 or grows by one.
 */
export interface SchedulePutParams {
  readonly name: string;
  readonly spec: ScheduleSpec;
  readonly paused: boolean;
  readonly nextFireAt: number | null;
  readonly now: number;
}

export interface ScheduleListParams {
  readonly limit: number;
  readonly cursor: string | null;
}

/** Schedules not paused with `nextFireAt <= now`, by (`nextFireAt`, `name`), up to `limit`. */
export interface ScheduleDueParams {
  readonly now: number;
  readonly limit: number;
}

export interface ScheduleDueResult {
  readonly due: ScheduleRecord[];
  /** The earliest `nextFireAt > now` of the schedules not paused, or null (for the scheduler's sleep). */
  readonly nextAt: number | null;
}

/**
 * One fire, atomic: the jobs are enqueued as jobEnqueueMany would (dedupKeys, `maxWaiting`:
 * QueueFullError changes nothing) and the record is updated in the same step. With `advance`,
 * only while the record's `version` is still `advance.version` (otherwise nothing changes and
 * `fired` is false: another server fired this tick, or the schedule changed); `nextFireAt` is
 * then set and `fires` grows by `advance.fired`. Without it (a trigger), `nextFireAt` and `fires`
 * stay; false only when the schedule is gone. `lastFireAt` is set when not null; `version` grows.
 */
export interface ScheduleFireParams {
  readonly name: string;
  readonly jobs: readonly NewJob[];
  readonly lastFireAt: number | null;
  readonly advance: { readonly version: number; readonly nextFireAt: number | null; readonly fired: number } | null;
  readonly now: number;
}

export type ScheduleFireResult =
  | { readonly fired: true; readonly schedule: ScheduleRecord; readonly results: EnqueueResult[] }
  | { readonly fired: false; readonly schedule: ScheduleRecord | null };

/**
 * The fires of one scheduler pass, applied together (SQLite: one op of one commit; Redis: one
 * script call; PostgreSQL: one transaction). Each fire is still all or nothing on its own and
 * applies exactly as scheduleFire would: a fire whose version moved on, or that is refused
 * (QueueFullError), changes nothing and takes nothing from the others.
 */
export interface ScheduleFireManyParams {
  readonly fires: readonly ScheduleFireParams[];
}

/** One fire's outcome in a scheduleFireMany, in the order of the fires. */
export type ScheduleFireOutcome =
  { readonly ok: true; readonly result: ScheduleFireResult } | { readonly ok: false; readonly error: Error };

export interface Store {
  readonly name: string;
  readonly capabilities: StoreCapabilities;

  /**
   * Completes an active job and adds 1 to its queue's `totals.completed`. LeaseMismatchError if
   * not active under `token`; JobExpiredError past expiresAt (neither counts).
   */
  jobAck(p: JobAckParams): Promise<Job>;
  /**
   * One outcome per item, in order. A storage failure (unavailable, full) may reject the whole
   * call or show as the outcome of each item it hit; refusals are always per item.
   */
  jobAckMany(p: JobAckManyParams): Promise<SettleOutcome[]>;
  /**
   * The job's history of ended attempts (see `endedAttempt` in store-support for what an entry
   * holds), oldest first; null when the job does not exist. A job no nack reached has none.
   */
  jobAttempts(p: JobGetParams): Promise<JobAttempts | null>;
  /** Waiting, delayed or active → dead (`cancelled`). JobFinishedError when completed or dead. */
  jobCancel(p: JobCancelParams): Promise<Job>;
  /** Removes a job in any state. False when it did not exist. */
  jobDelete(p: JobDeleteParams): Promise<boolean>;
  jobDeleteRetained(p: JobDeleteRetainedParams): Promise<number>;
  /**
   * Results in the order of `jobs`. Creates missing queues with an empty config. A queue with
   * `maxWaiting` refuses the whole batch with QueueFullError (details: `maxWaiting`, `waiting`,
   * `retryAfterMs`) when its waiting and delayed jobs would number more than that after it.
   */
  jobEnqueueMany(p: JobEnqueueManyParams): Promise<EnqueueResult[]>;
  /** Waiting, delayed or active jobs with `expiresAt <= now` → dead (`expired`); returns them. */
  jobExpireDue(p: JobExpireDueParams): Promise<Job[]>;
  jobExtend(p: JobExtendParams): Promise<LeasedJob>;
  jobGet(p: JobGetParams): Promise<Job | null>;
  /**
   * Flow control, atomically with the claim (so it holds across every server): a queue with
   * `concurrency` yields at most `concurrency - active` jobs; a queue with `rateLimit` at most
   * what is left of the current window's `max` (windows are [k·perMs, (k+1)·perMs) of the store's
   * time), and each claimed job counts in that window. A queue without either is leased as before.
   *
   * Groups, in a queue with group settings (`groupConcurrency` N, `groupRateLimit`): a group is *held* by its jobs that are active or
   * delayed after a lease (`attempts > 0` or `delayedNacks > 0`: a retry's backoff, a nack with
   * delay, a rate-limited give-back); a lease takes
   * from a group only while fewer than N of its jobs are held, its jobs in group order (priority
   * descending, then `seq`), and visits the groups with waiting jobs round-robin: each group's
   * turn comes after every other group's, and a group a lease served goes to the back. Jobs
   * without a group form one more lane of the rotation, not held by N (store-support's
   * GROUP_LANE). A lease that found waiting jobs only in held groups answers a throttle
   * (`retryInMs` null). With `groupRateLimit` a group also gives at most what its own fixed
   * window (as `rateLimit`'s) leaves, each claimed job counting in it; a lease that found waiting
   * jobs only in groups whose window is used up answers the time until the window opens.
   */
  jobLease(p: JobLeaseParams): Promise<LeaseResult>;
  /** Active jobs with `leaseExpiresAt <= now`, oldest deadline first; changes nothing. */
  jobLeaseExpired(p: JobLeaseExpiredParams): Promise<LeasedJob[]>;
  jobList(p: JobListParams): Promise<Page<Job>>;
  /**
   * Applies `target` to an active job under `token`; a `failure` (the reaper's included, retried
   * or dead) adds 1 to its queue's `totals.failed`, a `placement` counts nothing there. Same
   * refusals as jobAck.
   */
  jobNack(p: JobNackParams): Promise<Job>;
  /** One outcome per item, in order; failures as in jobAckMany. */
  jobNackMany(p: JobNackManyParams): Promise<SettleOutcome[]>;
  /**
   * One delayed job → waiting now (an operator's "promote now"): `runAt` becomes `now`, its ready
   * time. Returns the job, or null when it does not exist or is not delayed (nothing changes).
   */
  jobPromote(p: JobPromoteParams): Promise<Job | null>;
  /**
   * One dead job → waiting now, as queueRedrive moves dead jobs (an operator's retry): attempts 0,
   * `runAt` now, no expiry, dead reason and finish time cleared, the last error kept. Returns the
   * job, or null when it does not exist or is not dead (nothing changes).
   */
  jobRetry(p: JobRetryParams): Promise<Job | null>;
  /** Delayed jobs with `runAt <= now` → waiting (ready time stays `runAt`); returns them. */
  jobPromoteDue(p: JobPromoteDueParams): Promise<Job[]>;

  /** Creates the queue if needed and replaces its config. */
  queueConfigure(p: QueueConfigureParams): Promise<QueueInfo>;
  /**
   * Creates the queue if needed (as queuePause does, not paused) and adds `count` to its
   * `totals.failed`: failures a client reports without a lease (presque's `PUT /q/`).
   */
  queueCountFailures(p: QueueCountFailuresParams): Promise<QueueInfo>;
  /** Deletes a queue and all its jobs; its totals go with it. False when it did not exist. */
  queueDelete(p: QueueRefParams): Promise<boolean>;
  queueGet(p: QueueRefParams): Promise<QueueInfo | null>;
  /**
   * The queue's groups with waiting or held jobs, by waiting jobs descending (then group name),
   * at most `limit`; the ungrouped lane is not a group and is left out. Reads the store's group
   * counts (no job scan): O(groups the queue has) per call.
   */
  queueGroups(p: QueueGroupsParams): Promise<GroupStats[]>;
  /** Queues by name. */
  queueList(p: QueueListParams): Promise<Page<QueueInfo>>;
  /** Creates the queue if needed; a paused queue is skipped by jobLease. */
  queuePause(p: QueueStateParams): Promise<QueueInfo>;
  /**
   * Deletes the queue's jobs in `states` (null: every state); returns how many. With
   * `resetTotals` the queue's totals go back to 0 in the same atomic step.
   */
  queuePurge(p: QueuePurgeParams): Promise<number>;
  queueRedrive(p: QueueRedriveParams): Promise<number>;
  queueResume(p: QueueStateParams): Promise<QueueInfo>;
  /** Counts by state; all zero for a queue with no jobs. */
  queueStats(p: QueueRefParams): Promise<QueueCounts>;

  /** Deletes the schedule (the jobs it enqueued stay). False when it did not exist. */
  scheduleDelete(p: ScheduleRefParams): Promise<boolean>;
  scheduleDue(p: ScheduleDueParams): Promise<ScheduleDueResult>;
  scheduleFire(p: ScheduleFireParams): Promise<ScheduleFireResult>;
  /** Several fires in one step of the store; a refusal is that fire's outcome, never the call's. */
  scheduleFireMany(p: ScheduleFireManyParams): Promise<ScheduleFireOutcome[]>;
  scheduleGet(p: ScheduleRefParams): Promise<ScheduleRecord | null>;
  /** Schedules by name. */
  scheduleList(p: ScheduleListParams): Promise<Page<ScheduleRecord>>;
  schedulePut(p: SchedulePutParams): Promise<ScheduleRecord>;

  /**
   * Stores a new token. False (and nothing changes) when a token with its id exists. Token times
   * are the caller's (no rebasing onto backend time: expiries are days long).
   */
  tokenCreate(p: TokenCreateParams): Promise<boolean>;
  /** The token with this id, or null; a server over a shared backend sees tokens made on another. */
  tokenGet(p: TokenRefParams): Promise<TokenRecord | null>;
  /** Tokens by id. */
  tokenList(p: TokenListParams): Promise<Page<TokenRecord>>;
  /** Deletes the token. False when it did not exist. */
  tokenRevoke(p: TokenRefParams): Promise<boolean>;
  /** Raises the token's `lastUsedAt` (never lowers it); a missing token stays missing. */
  tokenTouch(p: TokenTouchParams): Promise<void>;

  workerList(p: WorkerListParams): Promise<Page<WorkerInfo>>;
  workerSeen(p: WorkerSeenParams): Promise<void>;

  /**
   * Tells the other engines sharing this store that up to `count` jobs may have become ready in
   * `queue`. Best effort and fire-and-forget: it never throws or rejects (a lost notification
   * only leaves a remote long-poll parked until its next wake or its timeout). A store without
   * the `notify` capability does nothing.
   */
  notifyReady(queue: string, count: number): void;
  /**
   * Calls `listener` for every `notifyReady` of *other* store instances over the same backend
   * (never for this instance's own). Returns the unsubscribe function. A store without the
   * `notify` capability never calls it.
   */
  onReady(listener: (queue: string, count: number) => void): () => void;
  /**
   * Null while the store can serve requests; otherwise why not ("redis unreachable", "disk
   * full", "closed"). Cheap enough for every `/readyz`; never rejects.
   */
  probe(): Promise<string | null>;

  /** Brings the schema up to date; running it twice is a no-op. */
  migrate(): Promise<void>;
  /** Flushes pending commits and releases resources. Later calls reject with UnavailableError. */
  close(): Promise<void>;
}
