/**
 * Ack, nack and extend: the operations a lease holder performs on its job, each one script that
 * checks the lease (scripts/includes/lease-check.lua) and applies the change only under the
 * caller's current token; a refusal comes back as the matching protocol error. The nack error's
 * `at` travels apart from the rest of the error, so the script can move it with the other times.
 */
import type { Job, LeasedJob } from '@docket/protocol';
import type { JobAckParams, JobExtendParams, JobNackParams, NackTarget } from '@docket/core';
import { asLeasedJob, optText } from './job-fields.ts';
import { settledJob } from './replies.ts';
import { runTimed, type StoreContext } from './store-context.ts';

export async function jobAck(ctx: StoreContext, p: JobAckParams): Promise<Job> {
  const result = p.result === null ? null : JSON.stringify(p.result);
  return settledJob(await runTimed(ctx, 'job-ack', p.now, [p.id, p.token, optText(result)]), p.id);
}

function targetArgs(target: NackTarget): [string, string] {
  if (target.state === 'waiting') return ['waiting', target.placement];
  if (target.state === 'delayed') return ['delayed', String(target.runAt)];
  return ['dead', target.reason];
}

export async function jobNack(ctx: StoreContext, p: JobNackParams): Promise<Job> {
  let errorHead: string | null = null;
  let errorAt = '';
  if (p.error !== null) {
    const { at, ...rest } = p.error;
    errorHead = JSON.stringify(rest);
    errorAt = String(at);
  }
  const args = [
    p.id,
    p.token,
    p.kind,
    p.leaseExpiredOnly ? '1' : '0',
    ...targetArgs(p.target),
    optText(errorHead),
    errorAt,
  ];
  return settledJob(await runTimed(ctx, 'job-nack', p.now, args), p.id);
}

export async function jobExtend(ctx: StoreContext, p: JobExtendParams): Promise<LeasedJob> {
  const reply = await runTimed(ctx, 'job-extend', p.now, [p.id, p.token, String(p.leaseMs)]);
  return asLeasedJob(settledJob(reply, p.id));
}
