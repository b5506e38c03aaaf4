/**
 * Wakes the long-polls of a queue with a `concurrency` limit whenever one of its jobs leaves
 * `active` (acked, nacked, retried, dead, reaped, expired, cancelled): that frees a slot, but
 * makes no job ready, so nothing else would wake them. Only queues whose config this engine has
 * cached are known (a throttled lease caches its queues' configs first); the wake also goes to
 * the other servers through the store's notifications.
 */
import type { Job } from '@docket/protocol';
import type { EventHub } from './event-hub.ts';
import type { EngineEvents } from './events.ts';
import type { QueueConfigs } from './queue-configs.ts';

const LEFT_ACTIVE = ['job:completed', 'job:nacked', 'job:retrying', 'job:dead', 'job:reaped', 'job:expired'] as const;

export function wakeOnFreedSlots(
  events: EventHub<EngineEvents>,
  configs: QueueConfigs,
  wake: (queue: string, count: number) => void,
): () => void {
  const onLeft = ({ job }: { readonly job: Job }): void => {
    if (configs.peek(job.queue)?.concurrency !== undefined) wake(job.queue, 1);
  };
  const stops = LEFT_ACTIVE.map((event) => events.on(event, onLeft));
  return () => {
    for (const stop of stops) stop();
  };
}
