/** `docket resume <q>`: lease from a paused queue again. */
import type { Command } from 'commander';
import { registerQueueAction } from '../queue-action.ts';

export function registerResume(program: Command): void {
  registerQueueAction(program, {
    name: 'resume',
    description: 'hand out jobs of a paused queue again',
    path: 'resume',
    examples: ['docket resume emails'],
    done: (queue) => `queue ${queue} resumed`,
  });
}
