/** `docket pause <q>`: stop leasing from a queue (enqueue still works). */
import type { Command } from 'commander';
import { registerQueueAction } from '../queue-action.ts';

export function registerPause(program: Command): void {
  registerQueueAction(program, {
    name: 'pause',
    description: 'stop handing out jobs of a queue; producers can still enqueue',
    path: 'pause',
    examples: ['docket pause emails'],
    done: (queue) => `queue ${queue} paused`,
  });
}
