/**
 * The engine's schedule operations (PUT, GET, list, DELETE, trigger, pause, resume). A PUT of
 * an unchanged spec (and `paused`) returns the schedule as it is, so re-applying a config at
 * every deploy keeps its ticks and its catch-up; a changed spec starts over from its first tick
 * after now. Resume also starts from the first tick after now: ticks that passed while paused
 * are skipped, whatever `catchUp` says (catch-up is for outages, not for pauses).
 */
import {
  limits,
  ScheduleNotFoundError,
  type Job,
  type Page,
  type Schedule,
  type ScheduleInput,
} from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { PageOptions } from '../engine-api.ts';
import type { ScheduleRecord } from '../store.ts';
import * as v from '../validate.ts';
import { fireNow } from './fire.ts';
import type { Scheduler } from './scheduler.ts';
import { assertScheduleName, sameSpec, scheduleSpec } from './spec.ts';
import { firstTick } from './ticks.ts';

export function toSchedule(record: ScheduleRecord): Schedule {
  return {
    name: record.name,
    ...record.spec,
    paused: record.paused,
    nextFireAt: record.nextFireAt,
    lastFireAt: record.lastFireAt,
    fires: record.fires,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export class ScheduleOperations {
  readonly #core: EngineCore;
  readonly #scheduler: Scheduler;

  constructor(core: EngineCore, scheduler: Scheduler) {
    this.#core = core;
    this.#scheduler = scheduler;
  }

  async put(name: string, input: ScheduleInput): Promise<Schedule> {
    assertScheduleName(name);
    const spec = scheduleSpec(input);
    const paused = input.paused ?? false;
    const current = await this.#core.store.scheduleGet({ name });
    if (current !== null && current.paused === paused && sameSpec(current.spec, spec)) return toSchedule(current);
    const now = this.#core.clock.now();
    const nextFireAt = firstTick(spec, now, current?.fires ?? 0);
    const record = await this.#core.store.schedulePut({ name, spec, paused, nextFireAt, now });
    this.#wake(record);
    return toSchedule(record);
  }

  async get(name: string): Promise<Schedule> {
    return toSchedule(await this.#record(name));
  }

  async list(options: PageOptions = {}): Promise<Page<Schedule>> {
    const limit = options.limit ?? 100;
    v.assertNonNegativeInt(limit, 'limit', limits.MAX_LIST_LIMIT);
    const page = await this.#core.store.scheduleList({ limit, cursor: options.cursor ?? null });
    return { items: page.items.map(toSchedule), cursor: page.cursor };
  }

  async delete(name: string): Promise<void> {
    assertScheduleName(name);
    if (!(await this.#core.store.scheduleDelete({ name }))) throw new ScheduleNotFoundError(name);
  }

  /** Enqueues one job now; the schedule's ticks, `fires` and `limit` are untouched. Works while paused. */
  async trigger(name: string): Promise<Job> {
    const job = await fireNow(this.#core, await this.#record(name));
    if (job === null) throw new ScheduleNotFoundError(name);
    return job;
  }

  async setPaused(name: string, paused: boolean): Promise<Schedule> {
    const current = await this.#record(name);
    if (current.paused === paused) return toSchedule(current);
    const now = this.#core.clock.now();
    const nextFireAt = paused ? current.nextFireAt : firstTick(current.spec, now, current.fires);
    const record = await this.#core.store.schedulePut({ name, spec: current.spec, paused, nextFireAt, now });
    this.#wake(record);
    return toSchedule(record);
  }

  async #record(name: string): Promise<ScheduleRecord> {
    assertScheduleName(name);
    const record = await this.#core.store.scheduleGet({ name });
    if (record === null) throw new ScheduleNotFoundError(name);
    return record;
  }

  #wake(record: ScheduleRecord): void {
    if (!record.paused && record.nextFireAt !== null) this.#scheduler.wakeAt(record.nextFireAt);
  }
}
