/** `docket purge <q>`: delete every job of a queue; the queue and its config stay. */
import type { Command } from 'commander';
import { countOf, registerQueueAction } from '../queue-action.ts';

export function registerPurge(program: Command): void {
  registerQueueAction(program, {
    name: 'purge',
    description: 'delete every job of a queue (the queue and its config stay)',
    path: 'purge',
    examples: ['docket purge emails', 'docket purge emails --json'],
    done: (queue, reply) => `purged ${countOf(reply, 'purged')} jobs from ${queue}`,
  });
}
