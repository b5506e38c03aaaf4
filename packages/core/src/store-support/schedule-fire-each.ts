/**
 * scheduleFireMany as one scheduleFire per fire, all started at once: for a store whose fires
 * are independent steps anyway (PostgreSQL: one transaction each over the pool, in parallel).
 * Each fire's error, refusal or not, is its outcome.
 */
import type { ScheduleFireManyParams, ScheduleFireOutcome, ScheduleFireParams, ScheduleFireResult } from '../store.ts';

export async function scheduleFireEach(
  fire: (p: ScheduleFireParams) => Promise<ScheduleFireResult>,
  p: ScheduleFireManyParams,
): Promise<ScheduleFireOutcome[]> {
  const settled = await Promise.allSettled(p.fires.map((one) => fire(one)));
  return settled.map((outcome) =>
    outcome.status === 'fulfilled'
      ? { ok: true, result: outcome.value }
      : { ok: false, error: outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)) },
  );
}
