/**
 * Limits on input, enforced by the engine (so library mode gets them too) and documented in
 * docs/limits.md. Each has a rationale; raising one trades memory or latency for flexibility.
 */

/** 1 MiB, as SQS: large enough for any job description, small enough to keep commits fast. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** One batch is one transaction; 1 000 jobs of 1 KiB commit in about 10 ms. */
export const MAX_BATCH_SIZE = 1000;
/** A lease returns at most this many jobs at once. */
export const MAX_LEASE_COUNT = 1000;
/** Long-poll bound, as SQS's 20 s plus headroom; proxies commonly cut idle requests at 60 s. */
export const MAX_WAIT_MS = 60_000;
/** Lease length bounds: 0.1 s to 12 h, as SQS's visibility timeout. */
export const MIN_LEASE_MS = 100;
export const MAX_LEASE_MS = 12 * 60 * 60 * 1000;
/** Delays and time-to-live up to one year. */
export const MAX_DELAY_MS = 365 * 24 * 60 * 60 * 1000;
export const MAX_ATTEMPTS_LIMIT = 1000;
/** Priorities fit in a small signed range so they sort simply in every store. */
export const MIN_PRIORITY = -1000;
export const MAX_PRIORITY = 1000;
export const MAX_ID_LENGTH = 200;
export const MAX_NAME_LENGTH = 200;
export const MAX_DEDUP_KEY_LENGTH = 500;
/** A job's `group` (a tenant or an ordering key): short, so every store keys indexes by it cheaply. */
export const MAX_GROUP_LENGTH = 128;
export const MAX_META_ENTRIES = 64;
export const MAX_META_VALUE_LENGTH = 4096;
/** Tags per queue, as SQS. */
export const MAX_QUEUE_TAGS = 50;
/** JSON nesting cap: a 1 000 000-deep array blocks the event loop for ~0.75 s to parse. */
export const MAX_JSON_DEPTH = 64;
export const MAX_ERROR_MESSAGE_LENGTH = 8192;
/** A stack of a few hundred frames; the SDK's Worker cuts longer ones, `/v1` refuses them. */
export const MAX_ERROR_STACK_LENGTH = 16_384;
/**
 * Ended attempts a job's history keeps (the latest; older ones are counted as dropped): enough
 * to see a pattern in a job's failures, bounded so a job that fails for ever stays small.
 */
export const MAX_ATTEMPT_HISTORY = 20;
export const MAX_LIST_LIMIT = 1000;
/**
 * Jobs a consumer stream holds leased and unacked at once: the lease limit, so a stream holds no
 * more than one full lease answer would.
 */
export const MAX_STREAM_PREFETCH = 1000;
/** Queue flow-control numbers (`maxWaiting`, `concurrency`, a rate limit's `max`) up to 10 000 000. */
export const MAX_QUEUE_LIMIT = 10_000_000;
/** A queue's `maxBytes` (waiting and delayed payload bytes) up to 1 TiB. */
export const MAX_QUEUE_BYTES = 2 ** 40;
/** Rate-limit windows from 10 ms (finer than a lease round trip means nothing) to one day. */
export const MIN_RATE_WINDOW_MS = 10;
export const MAX_RATE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Intervals of `every` schedules from 1 s (cron's own resolution) to one year. */
export const MIN_SCHEDULE_EVERY_MS = 1000;
export const MAX_CRON_LENGTH = 200;
/** `catchUp: 'all'` fires at most this many missed ticks (the latest), so an outage cannot flood a queue. */
export const MAX_SCHEDULE_CATCH_UP = 1000;
/** With `catchUp: 'none'`, a tick fired later than this after its time counts as missed and is skipped. */
export const SCHEDULE_MISSED_AFTER_MS = 5000;
