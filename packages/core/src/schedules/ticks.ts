/**
 * Tick arithmetic of schedules: when a schedule fires next and which ticks one fire covers.
 *
 * Cron expressions (5 fields, or 6 with seconds first) are read by croner in the schedule's time
 * zone (UTC by default). DST follows croner: a wall time that does not exist (the spring gap)
 * fires at the first valid time after it, and a wall time that occurs twice (the autumn
 * overlap) fires once, for fixed-time patterns; patterns with a step or range in the seconds,
 * minutes or hours (interval patterns) skip the gap and fire on both occurrences. Interval
 * schedules (`everyMs`) tick every `everyMs` from their first tick, whatever the wall clock.
 *
 * Parsed cron objects are cached by (time zone, pattern), a bounded map, so planning 10 000
 * schedules of a few patterns parses each pattern once.
 */
import { Cron } from 'croner';
import { InvalidArgumentError, limits, type ScheduleSpec } from '@docket/protocol';

const MAX_CACHED = 1_000;
const crons = new Map<string, Cron>();

/** The parsed pattern; InvalidArgumentError (field `cron`) when croner refuses it. */
export function cronFor(pattern: string, timezone: string | null): Cron {
  const key = `${timezone ?? ''}\u0000${pattern}`;
  let cron = crons.get(key);
  if (cron === undefined) {
    try {
      cron = new Cron(pattern, { paused: true, mode: '5-or-6-parts', ...(timezone === null ? {} : { timezone }) });
      cron.nextRun(new Date(0));
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).replace(/^[A-Za-z]+: /, '').replace(/\.$/, '');
      throw new InvalidArgumentError(`invalid cron ${JSON.stringify(pattern)}: ${reason}`, { field: 'cron' });
    }
    if (crons.size >= MAX_CACHED) crons.clear();
    crons.set(key, cron);
  }
  return cron;
}

function cronOf(spec: ScheduleSpec): Cron | null {
  return spec.cron === null ? null : cronFor(spec.cron, spec.timezone);
}

/** The first tick strictly after `t` of a spec's pattern, ignoring startAt, endAt and limit. */
function tickAfter(spec: ScheduleSpec, cron: Cron | null, t: number, anchor: number): number | null {
  if (cron === null) {
    const every = spec.everyMs ?? 0;
    if (t < anchor) return anchor;
    return anchor + (Math.floor((t - anchor) / every) + 1) * every;
  }
  return cron.nextRun(new Date(t))?.getTime() ?? null;
}

/** Null when `tick` lies at or past `endAt` (the schedule is finished). */
function within(spec: ScheduleSpec, tick: number | null): number | null {
  return tick === null || (spec.endAt !== null && tick >= spec.endAt) ? null : tick;
}

/**
 * The first tick of a schedule put (or resumed) at `now`: the first at or after both `now` and
 * `startAt`. An interval schedule ticks from `startAt` when it has one, else from `now + everyMs`.
 */
export function firstTick(spec: ScheduleSpec, now: number, fires: number): number | null {
  if (spec.limit !== null && fires >= spec.limit) return null;
  const from = Math.max(now, spec.startAt ?? now);
  const cron = cronOf(spec);
  if (cron === null) {
    const anchor = spec.startAt ?? now + (spec.everyMs ?? 0);
    return within(spec, from <= anchor ? anchor : tickAfter(spec, null, from - 1, anchor));
  }
  return within(spec, tickAfter(spec, cron, from - 1, 0));
}

export interface FirePlan {
  /** The ticks to enqueue a job for, oldest first (empty when `none` skipped a missed tick). */
  readonly ticks: number[];
  /** The tick after `now`, or null when the schedule is finished. */
  readonly nextFireAt: number | null;
}

/**
 * What firing a due schedule at `now` does: the ticks from `nextFireAt` to `now` are due; the
 * catch-up policy picks which get a job (`none`: the latest, unless later than
 * SCHEDULE_MISSED_AFTER_MS; `last`: the latest; `all`: every one, the latest
 * MAX_SCHEDULE_CATCH_UP at most), and `limit` caps them (the earliest kept).
 */
export function planFire(spec: ScheduleSpec, nextFireAt: number, fires: number, now: number): FirePlan {
  const cron = cronOf(spec);
  const anchor = nextFireAt;
  const due = dueTicks(spec, cron, nextFireAt, now, anchor);
  const latest = due[due.length - 1] ?? nextFireAt;
  let ticks: number[];
  if (spec.catchUp === 'all') ticks = due;
  else if (spec.catchUp === 'last' || now - latest <= limits.SCHEDULE_MISSED_AFTER_MS) ticks = [latest];
  else ticks = [];
  const left = spec.limit === null ? Infinity : Math.max(0, spec.limit - fires);
  if (ticks.length > left) ticks = ticks.slice(0, left);
  const finished = spec.limit !== null && fires + ticks.length >= spec.limit;
  return { ticks, nextFireAt: finished ? null : within(spec, tickAfter(spec, cron, now, anchor)) };
}

/** The ticks in [from, now], oldest first: all of them up to MAX_SCHEDULE_CATCH_UP, the latest kept. */
function dueTicks(spec: ScheduleSpec, cron: Cron | null, from: number, now: number, anchor: number): number[] {
  const max = limits.MAX_SCHEDULE_CATCH_UP;
  const endBefore = spec.endAt ?? Infinity;
  const last = Math.min(now, endBefore - 1);
  if (cron === null) {
    const every = spec.everyMs ?? 1;
    const count = Math.floor((last - from) / every) + 1;
    if (count <= 1) return [from];
    const first = Math.max(0, count - (spec.catchUp === 'all' ? max : 1));
    const ticks: number[] = [];
    for (let k = first; k < count; k += 1) ticks.push(anchor + k * every);
    return ticks;
  }
  const next = cron.nextRun(new Date(from))?.getTime() ?? null;
  if (next === null || next > last) return [from];
  const wanted = spec.catchUp === 'all' ? max : 1;
  const previous = cron
    .previousRuns(wanted, new Date(last + 1))
    .map((d) => d.getTime())
    .filter((t) => t >= from)
    .reverse();
  if (spec.catchUp === 'all' && previous.length < max && previous[0] !== from) previous.unshift(from);
  return previous.length === 0 ? [from] : previous;
}
