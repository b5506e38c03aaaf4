/** Reading one item's outcome of a batch ack or nack in a case: the job, or the refusal. */
import type { Job } from '@docket/protocol';
import type { SettleOutcome } from '@docket/core';

export function jobOf(outcome: SettleOutcome | undefined): Job {
  if (outcome?.ok !== true) throw new Error(`expected a settled job, got ${JSON.stringify(outcome)}`);
  return outcome.job;
}

export function errorOf(outcome: SettleOutcome | undefined): Error {
  if (outcome?.ok !== false) throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}
