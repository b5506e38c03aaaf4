/** The scheduler's settings (schedules/scheduler.ts), apart so the services' config can name them. */
export interface SchedulerConfig {
  /**
   * How often the scheduler looks for due schedules when no fire is known to be due sooner:
   * default 1 s over a shared store (schedules put through another server), 60 s otherwise.
   */
  readonly intervalMs: number;
}
