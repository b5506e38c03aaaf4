/**
 * StartMessageMoveTask: redrive from a dead-letter queue. Every message waiting in the source
 * (a queue some queue's RedrivePolicy names) is moved to DestinationArn, or else back to the
 * queue it died in, in the background: leased from the source, copied (job-copy.ts) and then
 * deleted by ack, so a crash mid-move returns the message to the source when its lease runs
 * out, and a retried copy finds the first. A message with nowhere to go stays in the source.
 * MaxNumberOfMessagesPerSecond is checked and not applied: the move runs as fast as the store
 * allows.
 */
import type { Engine } from '@docket/core';
import type { LeasedJob } from '@docket/protocol';
import type { Action, SqsContext } from '../context.ts';
import { sqsErrors } from '../errors.ts';
import { optionalInteger, optionalString, requiredString } from '../input.ts';
import { copyJob } from '../job-copy.ts';
import { META } from '../messages.ts';
import { redrivePolicyOf } from '../queue-attributes.ts';
import { sqsQueues } from '../queue-pages.ts';
import { queueNameOfArn } from '../queue-url.ts';

const ROUND = 100;
const MOVE_LEASE_MS = 5 * 60 * 1000;

async function moveAll(ctx: SqsContext, source: string, destination: string | undefined): Promise<void> {
  const engine: Engine = ctx.engine;
  const stranded: LeasedJob[] = [];
  for (;;) {
    const jobs = await engine.lease({ queues: [source], max: ROUND, leaseMs: MOVE_LEASE_MS });
    if (jobs.length === 0) break;
    for (const job of jobs) {
      const target = destination ?? job.meta[META.source];
      if (target === undefined || (await ctx.queues.stats(target)) === null) {
        stranded.push(job);
        continue;
      }
      await copyJob(engine, job, target, 'move');
      await engine.ack(job.id, { token: job.leaseToken });
    }
  }
  for (const job of stranded) await engine.nack(job.id, { token: job.leaseToken, placement: 'front' });
}

export const startMessageMoveTask: Action = async (ctx, call) => {
  const sourceArn = requiredString(call.input, 'SourceArn');
  const source = queueNameOfArn(sourceArn, ctx.identity, 'SourceArn');
  const destinationArn = optionalString(call.input, 'DestinationArn');
  const destination =
    destinationArn === undefined ? undefined : queueNameOfArn(destinationArn, ctx.identity, 'DestinationArn');
  optionalInteger(call.input, 'MaxNumberOfMessagesPerSecond', 1, 500);
  if ((await ctx.queues.stats(source)) === null)
    throw sqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
  if (destination !== undefined && (await ctx.queues.stats(destination)) === null) {
    throw sqsErrors.resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
  }
  const isDeadLetterQueue = (await sqsQueues(ctx.engine)).some((queue) => {
    try {
      return redrivePolicyOf(queue.config, ctx.identity)?.target === source;
    } catch {
      return false;
    }
  });
  if (!isDeadLetterQueue)
    throw sqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  ctx.deadLetters.track(moveAll(ctx, source, destination));
  return {
    TaskHandle: Buffer.from(JSON.stringify({ source: sourceArn, startedAt: Date.now() })).toString('base64url'),
  };
};
