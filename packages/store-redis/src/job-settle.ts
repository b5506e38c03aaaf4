/**
 * Ack, nack and extend: the operations a lease holder performs on its job, each one script that
 * checks the lease (scripts/includes/lease-check.lua) and applies the change only under the
 * caller's current token; a refusal comes back as the matching protocol error. The batch forms
 * are one script each that applies the items in order (scripts/includes/settle.lua), with one
 * outcome per item. The nack error's `at` travels apart from the rest of the error, so the script
 * can move it with the other times.
 */
import type { Job, LeasedJob } from '@docket/protocol';
import type {
  JobAckItem,
  JobAckManyParams,
  JobAckParams,
  JobExtendParams,
  JobNackItem,
  JobNackManyParams,
  JobNackParams,
  NackTarget,
  SettleOutcome,
} from '@docket/core';
import { asLeasedJob, optText } from './job-fields.ts';
import { settledJob, settledMany } from './replies.ts';
import { runTimed, type StoreContext } from './store-context.ts';

/** An ack's ARGV after the clock's: id, token, result. */
function ackArgs(item: JobAckItem): string[] {
  return [item.id, item.token, optText(item.result === null ? null : JSON.stringify(item.result))];
}

export async function jobAck(ctx: StoreContext, p: JobAckParams): Promise<Job> {
  return settledJob(await runTimed(ctx, 'job-ack', p.now, ackArgs(p)), p.id);
}

export function jobAckMany(ctx: StoreContext, p: JobAckManyParams): Promise<SettleOutcome[]> {
  return settleMany(ctx, 'job-ack-many', p.now, p.acks, ackArgs);
}

function targetArgs(target: NackTarget): [string, string] {
  if (target.state === 'waiting') return ['waiting', target.placement];
  if (target.state === 'delayed') return ['delayed', String(target.runAt)];
  return ['dead', target.reason];
}

/**
 * A nack's ARGV after the clock's: id, token, kind, leaseExpiredOnly, target, error head, error at.
 * A rate-limited placement to `delayed` goes as kind 'rate-limited' (settle.lua gives its lease back).
 */
function nackArgs(item: JobNackItem): string[] {
  let errorHead: string | null = null;
  let errorAt = '';
  if (item.error !== null) {
    const { at, ...rest } = item.error;
    errorHead = JSON.stringify(rest);
    errorAt = String(at);
  }
  return [
    item.id,
    item.token,
    item.kind === 'placement' && item.rateLimited === true && item.target.state === 'delayed'
      ? 'rate-limited'
      : item.kind,
    item.leaseExpiredOnly ? '1' : '0',
    ...targetArgs(item.target),
    optText(errorHead),
    errorAt,
  ];
}

export async function jobNack(ctx: StoreContext, p: JobNackParams): Promise<Job> {
  return settledJob(await runTimed(ctx, 'job-nack', p.now, nackArgs(p)), p.id);
}

export function jobNackMany(ctx: StoreContext, p: JobNackManyParams): Promise<SettleOutcome[]> {
  return settleMany(ctx, 'job-nack-many', p.now, p.nacks, nackArgs);
}

/** One batch script for `items`, each item's ARGV from `args`; one outcome per item, in order. */
async function settleMany<I extends { readonly id: string }>(
  ctx: StoreContext,
  script: 'job-ack-many' | 'job-nack-many',
  now: number,
  items: readonly I[],
  args: (item: I) => string[],
): Promise<SettleOutcome[]> {
  if (items.length === 0) return [];
  const reply = await runTimed(ctx, script, now, items.flatMap(args));
  return settledMany(
    reply,
    items.map((item) => item.id),
  );
}

export async function jobExtend(ctx: StoreContext, p: JobExtendParams): Promise<LeasedJob> {
  const reply = await runTimed(ctx, 'job-extend', p.now, [p.id, p.token, String(p.leaseMs)]);
  return asLeasedJob(settledJob(reply, p.id));
}
