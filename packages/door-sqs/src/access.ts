/**
 * What each SQS action needs of the caller's token, in Docket's grants: `produce` to send,
 * `consume` to receive, delete and change visibility, `read` to look a queue up or list, `admin`
 * to create, delete, purge, configure, tag and move. The queue is the one the call names (its
 * QueueUrl, or the request path; QueueName for CreateQueue and GetQueueUrl; the source ARN of a
 * move). Lists show only the queues the token may read. A refusal is `AccessDenied` (403),
 * before the action runs, so it changes nothing. While auth is off the guard allows everything.
 */
import { ForbiddenError, type Action as Grant } from '@docket/protocol';
import type { DoorGuard, Principal } from '@docket/server';
import { queueOf, type ActionCall, type SqsContext } from './context.ts';
import { sqsErrors } from './errors.ts';
import { optionalString } from './input.ts';
import { queueNameOfArn, queueNameOfUrl } from './queue-url.ts';

type Target = 'queue' | 'name' | 'list' | 'move';

const NEEDS: Readonly<Record<string, readonly [Grant, Target]>> = {
  ChangeMessageVisibility: ['consume', 'queue'],
  ChangeMessageVisibilityBatch: ['consume', 'queue'],
  CreateQueue: ['admin', 'name'],
  DeleteMessage: ['consume', 'queue'],
  DeleteMessageBatch: ['consume', 'queue'],
  DeleteQueue: ['admin', 'queue'],
  GetQueueAttributes: ['read', 'queue'],
  GetQueueUrl: ['read', 'name'],
  ListDeadLetterSourceQueues: ['read', 'queue'],
  ListQueueTags: ['read', 'queue'],
  ListQueues: ['read', 'list'],
  PurgeQueue: ['admin', 'queue'],
  ReceiveMessage: ['consume', 'queue'],
  SendMessage: ['produce', 'queue'],
  SendMessageBatch: ['produce', 'queue'],
  SetQueueAttributes: ['admin', 'queue'],
  StartMessageMoveTask: ['admin', 'move'],
  TagQueue: ['admin', 'queue'],
  UntagQueue: ['admin', 'queue'],
};

/** The lists an action answers, by output key: filtered to the queues the token may read. */
const LISTS: Readonly<Record<string, string>> = { ListQueues: 'QueueUrls', ListDeadLetterSourceQueues: 'queueUrls' };

function check(guard: DoorGuard, principal: Principal, grant: Grant, queue: string | null): void {
  try {
    guard.authorize(principal, grant, queue);
  } catch (err) {
    if (err instanceof ForbiddenError) throw sqsErrors.accessDenied(`Access denied: ${err.message}.`);
    throw err;
  }
}

/** Throws AccessDenied unless `principal` may run `action` as `call` asks. */
export function authorizeAction(
  guard: DoorGuard,
  principal: Principal,
  action: string,
  ctx: SqsContext,
  call: ActionCall,
): void {
  if (!guard.needsLogin) return;
  const need = NEEDS[action];
  if (need === undefined) return;
  const [grant, target] = need;
  switch (target) {
    case 'queue':
      check(guard, principal, grant, queueOf(ctx, call));
      return;
    case 'name': {
      const name = optionalString(call.input, 'QueueName');
      // Without a name the action refuses the call itself (MissingParameter).
      if (name !== undefined) check(guard, principal, grant, name);
      return;
    }
    case 'list':
      if (!principal.grants.some((g) => g.action === grant)) check(guard, principal, grant, null);
      return;
    case 'move': {
      const source = optionalString(call.input, 'SourceArn');
      if (source !== undefined) check(guard, principal, grant, queueNameOfArn(source, ctx.identity, 'SourceArn'));
      const destination = optionalString(call.input, 'DestinationArn');
      // Without a destination, messages go back to whichever queues they died in.
      check(
        guard,
        principal,
        grant,
        destination === undefined ? null : queueNameOfArn(destination, ctx.identity, 'DestinationArn'),
      );
      return;
    }
  }
}

/** The action's output with its queue lists cut to the queues `principal` may read. */
export function visibleOutput(
  guard: DoorGuard,
  principal: Principal,
  action: string,
  ctx: SqsContext,
  output: Record<string, unknown>,
): Record<string, unknown> {
  const key = LISTS[action];
  const urls = key === undefined ? undefined : output[key];
  if (key === undefined || !guard.needsLogin || !Array.isArray(urls)) return output;
  const visible = urls.filter(
    (url): url is string =>
      typeof url === 'string' && guard.allows(principal, 'read', queueNameOfUrl(url, ctx.identity)),
  );
  const { [key]: _all, ...rest } = output;
  // ListQueues leaves QueueUrls out when there are none.
  return visible.length > 0 || action !== 'ListQueues' ? { ...rest, [key]: visible } : rest;
}
