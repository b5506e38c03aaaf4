/**
 * The key layout of one Docket deployment in Redis. Every key starts with the hash tag
 * `{<prefix>}`, so all of a deployment's keys live in one Redis Cluster slot. That is what lets a
 * lease read several queues, and an ack find a job by id and update its queue's indexes, in one
 * atomic script, and what makes Redis Cluster accept every script. The trade-off: one deployment
 * is never sharded across cluster nodes (it scales up, not out); run several deployments, each
 * with its own prefix, to spread load over a cluster.
 *
 * Keys (base = `{<prefix>}`; scripts derive them from it, see scripts/includes/keys.lua):
 *   <base>:schema                 the layout version (string)
 *   <base>:seq                    the enqueue sequence (INCR)
 *   <base>:queues                 queue names (zset, score 0, by name)
 *   <base>:queue:<name>           a queue: paused, config, createdAt, and its lifetime totals
 *                                 completedTotal and failedTotal (hash; a total never counted is
 *                                 absent and reads 0, so layout 1 needs no migration for them);
 *                                 with flow control also limited, concurrency, rateMax,
 *                                 ratePerMs, maxWaiting, maxBytes (from the config) and rateStart,
 *                                 rateUsed (the current rate window), absent on a queue without
 *                                 limits (scripts/includes/flow.lua); with maxBytes also
 *                                 backlogBytes, the payload bytes of its waiting and delayed jobs
 *                                 (scripts/includes/jobs.lua)
 *   <base>:job:<id>               a job (hash; a null field is absent; `attemptsDropped` counts
 *                                 the history entries dropped past the bound)
 *   <base>:attempts:<id>          the job's attempt history: JSON entries, oldest first, the
 *                                 latest MAX_ATTEMPT_HISTORY (list; absent until the first nack,
 *                                 deleted with the job)
 *   <base>:q:<queue>:<index>      per-queue indexes: all, waiting, delayed, active, completed,
 *                                 completed-by-time, dead, dead-by-time (zsets), dedup (hash)
 *   <base>:delayed|active|expiry  deployment-wide due-time indexes for the background services
 *   <base>:workers                worker ids (zset, score 0, by id)
 *   <base>:worker:<id>            a worker (hash); <base>:wactive:<id> its active jobs (set)
 *   <base>:tokens                 access tokens (hash: id → the token's JSON, with the hash of
 *                                 its secret, never the secret)
 *   <base>:token-use              each token's last-used time (hash: id → ms), apart so a touch
 *                                 never rewrites the token
 *   <base>:schedule:<name>        a schedule (hash: spec JSON, paused, nextFireAt, lastFireAt,
 *                                 fires, version, createdAt, updatedAt; a null field is absent)
 *   <base>:schedules              schedule names (zset, score 0, by name)
 *   <base>:schedule-due           schedules not paused with a next fire (zset, score nextFireAt)
 * Sort keys inside index members are fixed-width hex, so byte order is numeric order.
 *
 * Ready notifications travel on the pub/sub channel named by the prefix itself.
 */
import { InvalidArgumentError } from '@docket/protocol';

/** The layout version this code reads and writes (stored under <base>:schema). */
export const KEY_LAYOUT_VERSION = 1;

/** Prefixes are plain names: no braces (they would break the hash tag), no glob characters. */
const PREFIX_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export interface KeyLayout {
  readonly prefix: string;
  /** `{<prefix>}`: KEYS[1] of every script, and the start of every key. */
  readonly base: string;
  /** The pub/sub channel of ready notifications. */
  readonly channel: string;
  readonly job: (id: string) => string;
  readonly attempts: (id: string) => string;
  readonly queue: (name: string) => string;
  readonly tokens: string;
  readonly tokenUse: string;
}

export function keyLayout(prefix: string): KeyLayout {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new InvalidArgumentError(
      `invalid redis key prefix ${JSON.stringify(prefix)}: expected 1 to 100 of A-Z a-z 0-9 . _ : -`,
      {
        field: 'prefix',
      },
    );
  }
  const base = `{${prefix}}`;
  return {
    prefix,
    base,
    channel: prefix,
    job: (id) => `${base}:job:${id}`,
    attempts: (id) => `${base}:attempts:${id}`,
    queue: (name) => `${base}:queue:${name}`,
    tokens: `${base}:tokens`,
    tokenUse: `${base}:token-use`,
  };
}

/** A SCAN MATCH pattern for every key of the deployments whose prefix starts with `prefixStart`. */
export function keyPattern(prefixStart: string): string {
  keyLayout(prefixStart);
  return `{${prefixStart}*`;
}
