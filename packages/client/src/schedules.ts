/**
 * `client.schedules`: named rules that enqueue a job into a queue at each tick of a cron
 * expression or an interval (docs/schedules.md), over any Transport, so the same calls work over
 * HTTP and in-process.
 */
import type { Page, Schedule, ScheduleInput } from '@docket/protocol';
import type { PageRequest, Transport } from './transport.ts';
import { typedJob, type JobOf } from './typed-job.ts';

export interface Schedules {
  /**
   * Creates the schedule or replaces it; setting an unchanged schedule again keeps its ticks, so
   * a deploy can set its schedules every time it starts.
   *
   * @example
   * await client.schedules.set('nightly-report', { queue: 'reports', cron: '0 3 * * *', timezone: 'Europe/Berlin' });
   * await client.schedules.set('heartbeat', { queue: 'pings', every: '30s', data: { ping: true } });
   */
  set(name: string, input: ScheduleInput): Promise<Schedule>;
  /** ScheduleNotFoundError when there is none. */
  get(name: string): Promise<Schedule>;
  /** Schedules by name, a page at a time. */
  list(options?: PageRequest): Promise<Page<Schedule>>;
  /** Iterates every schedule, page after page. */
  all(options?: Omit<PageRequest, 'cursor'>): AsyncIterable<Schedule>;
  /** The jobs it enqueued stay. */
  delete(name: string): Promise<void>;
  /** Enqueues one job of the schedule now (also while paused); its ticks are untouched. */
  trigger<T = unknown, R = unknown>(name: string): Promise<JobOf<T, R>>;
  pause(name: string): Promise<Schedule>;
  /** Fires again from the first tick after now; ticks passed while paused are skipped. */
  resume(name: string): Promise<Schedule>;
}

export function createSchedules(transport: Transport): Schedules {
  return {
    set: (name, input) => transport.putSchedule(name, input),
    get: (name) => transport.getSchedule(name),
    list: (options = {}) => transport.listSchedules(options),
    async *all(options = {}) {
      let cursor: string | undefined;
      do {
        const page = await transport.listSchedules({ ...options, ...(cursor === undefined ? {} : { cursor }) });
        yield* page.items;
        cursor = page.cursor ?? undefined;
      } while (cursor !== undefined);
    },
    delete: (name) => transport.deleteSchedule(name),
    trigger: async <T, R>(name: string) => typedJob<T, R>(await transport.triggerSchedule(name)),
    pause: (name) => transport.pauseSchedule(name),
    resume: (name) => transport.resumeSchedule(name),
  };
}
