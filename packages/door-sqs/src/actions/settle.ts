/**
 * DeleteMessage, ChangeMessageVisibility and their batches, by receipt handle. A delete acks the
 * job with the handle's lease token; with a stale handle (the message was received again since,
 * became visible again, or is already gone) it succeeds and deletes nothing, as SQS documents.
 * A visibility change extends the lease (0 gives the message back at once, to the front);
 * with a stale handle it is refused as SQS refuses it.
 */
import type { Engine } from '@docket/core';
import { DocketError, ErrorCode } from '@docket/protocol';
import { queueOf, type Action } from '../context.ts';
import { isStaleSettle } from '../engine-errors.ts';
import { sqsErrors } from '../errors.ts';
import { optionalInteger, requiredString, type Input } from '../input.ts';
import { decodeReceipt } from '../receipt-handle.ts';
import { batchEntries, batchOutput, failedEntry, type FailedEntry } from './batch-entries.ts';

const MAX_VISIBILITY_S = 43_200;

export const deleteMessage: Action = async (ctx, call) => {
  const queue = queueOf(ctx, call);
  const receipt = decodeReceipt(requiredString(call.input, 'ReceiptHandle'), queue);
  await ctx.queues.require(queue);
  try {
    await ctx.engine.ack(receipt.id, { token: receipt.token });
  } catch (err) {
    if (!isStaleSettle(err)) throw err;
  }
  return {};
};

export const deleteMessageBatch: Action = async (ctx, call) => {
  const queue = queueOf(ctx, call);
  const entries = batchEntries(call.input);
  await ctx.queues.require(queue);
  const failed: FailedEntry[] = [];
  const items: { readonly entryId: string; readonly id: string; readonly token: string }[] = [];
  for (const entry of entries) {
    try {
      const receipt = decodeReceipt(requiredString(entry.input, 'ReceiptHandle'), queue);
      items.push({ entryId: entry.id, id: receipt.id, token: receipt.token });
    } catch (err) {
      failed.push(failedEntry(entry.id, err));
    }
  }
  const outcomes = items.length === 0 ? [] : await ctx.engine.ackMany(items.map(({ id, token }) => ({ id, token })));
  const successful: { Id: string }[] = [];
  items.forEach((item, index) => {
    const outcome = outcomes[index];
    if (outcome === undefined || outcome.ok || isStaleSettle(outcome.error)) successful.push({ Id: item.entryId });
    else failed.push(failedEntry(item.entryId, outcome.error));
  });
  return batchOutput(successful, failed);
};

async function changeVisibility(engine: Engine, input: Input, queue: string): Promise<void> {
  const handle = requiredString(input, 'ReceiptHandle');
  const receipt = decodeReceipt(handle, queue);
  const seconds = optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_S);
  if (seconds === undefined) throw sqsErrors.missingParameter('VisibilityTimeout');
  try {
    if (seconds === 0) await engine.nack(receipt.id, { token: receipt.token, placement: 'front' });
    else await engine.extend(receipt.id, { token: receipt.token, leaseMs: seconds * 1000 });
  } catch (err) {
    if (err instanceof DocketError && err.code === ErrorCode.LEASE_MISMATCH) throw sqsErrors.messageNotInflight();
    if (isStaleSettle(err)) throw sqsErrors.notAvailableForVisibilityChange(handle);
    throw err;
  }
}

export const changeMessageVisibility: Action = async (ctx, call) => {
  const queue = queueOf(ctx, call);
  await ctx.queues.require(queue);
  await changeVisibility(ctx.engine, call.input, queue);
  return {};
};

export const changeMessageVisibilityBatch: Action = async (ctx, call) => {
  const queue = queueOf(ctx, call);
  const entries = batchEntries(call.input);
  await ctx.queues.require(queue);
  const results = await Promise.all(
    entries.map(async (entry) => {
      try {
        await changeVisibility(ctx.engine, entry.input, queue);
        return { ok: true as const, id: entry.id };
      } catch (err) {
        return { ok: false as const, failed: failedEntry(entry.id, err) };
      }
    }),
  );
  return batchOutput(
    results.flatMap((r) => (r.ok ? [{ Id: r.id }] : [])),
    results.flatMap((r) => (r.ok ? [] : [r.failed])),
  );
};
