/**
 * Validation of a schedule PUT: the shape by the protocol's schema, then what a schema cannot
 * say (exactly one of cron, every and everyMs; a cron expression croner accepts; a time zone
 * Intl knows; endAt after startAt; the payload's size and depth). Every refusal is an
 * InvalidArgumentError naming the field, raised before anything is written.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  InvalidArgumentError,
  ScheduleInputSchema,
  QUEUE_NAME_RULE,
  isQueueName,
  limits,
  type ScheduleInput,
  type ScheduleSpec,
} from '@docket/protocol';
import { assertPayload, assertQueueName, check } from '../validate.ts';
import { cronFor } from './ticks.ts';

const inputCheck = TypeCompiler.Compile(ScheduleInputSchema);

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const EVERY = /^(\d{1,15})(ms|s|m|h|d)$/;

/** A schedule name follows the queue name rule. */
export function assertScheduleName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !isQueueName(name)) {
    throw new InvalidArgumentError(`invalid schedule name: ${QUEUE_NAME_RULE}`, { field: 'name' });
  }
}

/** `"2s"` → 2000; InvalidArgumentError (field `every`) otherwise. */
export function parseEvery(text: string): number {
  const match = EVERY.exec(text);
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (match === null || unit === undefined) {
    throw new InvalidArgumentError(
      `invalid every ${JSON.stringify(text)}: expected a whole number and a unit (ms, s, m, h, d), as "2s"`,
      {
        field: 'every',
      },
    );
  }
  return Number(match[1]) * UNIT_MS[unit];
}

function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InvalidArgumentError(
      `unknown timezone ${JSON.stringify(timezone)}: expected an IANA name, as "Europe/Berlin"`,
      {
        field: 'timezone',
      },
    );
  }
}

function intervalOf(input: ScheduleInput): number | null {
  const given = [input.cron, input.every, input.everyMs].filter((v) => v !== undefined).length;
  if (given === 0) throw new InvalidArgumentError('a schedule needs cron, every or everyMs', { field: 'cron' });
  if (given > 1) {
    throw new InvalidArgumentError('give one of cron, every and everyMs', {
      field: input.cron === undefined ? 'everyMs' : 'every',
    });
  }
  if (input.every !== undefined) {
    const ms = parseEvery(input.every);
    if (ms < limits.MIN_SCHEDULE_EVERY_MS || ms > limits.MAX_DELAY_MS) {
      throw new InvalidArgumentError(
        `every must be ${limits.MIN_SCHEDULE_EVERY_MS} ms to ${limits.MAX_DELAY_MS} ms, got ${ms} ms`,
        { field: 'every' },
      );
    }
    return ms;
  }
  return input.everyMs ?? null;
}

/** Checks a PUT body and returns the spec to store, with defaults applied. */
export function scheduleSpec(input: ScheduleInput): ScheduleSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidArgumentError('invalid schedule: expected an object with queue and cron or every', {
      field: 'schedule',
    });
  }
  check(inputCheck, input, 'schedule');
  assertQueueName(input.queue);
  const everyMs = intervalOf(input);
  if (input.timezone !== undefined) {
    if (input.cron === undefined) {
      throw new InvalidArgumentError('timezone applies to cron schedules only', { field: 'timezone' });
    }
    assertTimezone(input.timezone);
  }
  if (input.cron !== undefined) cronFor(input.cron, input.timezone ?? null);
  if (input.startAt !== undefined && input.endAt !== undefined && input.endAt <= input.startAt) {
    throw new InvalidArgumentError('endAt must be later than startAt', { field: 'endAt' });
  }
  const data = input.data ?? null;
  assertPayload(data);
  return {
    queue: input.queue,
    cron: input.cron ?? null,
    timezone: input.timezone ?? null,
    everyMs,
    data,
    options: input.options ?? {},
    startAt: input.startAt ?? null,
    endAt: input.endAt ?? null,
    limit: input.limit ?? null,
    catchUp: input.catchUp ?? 'last',
  };
}

/** Whether two specs give the same schedule (a PUT of an unchanged spec keeps its ticks). */
export function sameSpec(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so a spec read back from a store (jsonb reorders keys) compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
