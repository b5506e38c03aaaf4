/** `docket redrive <q>`: move a queue's dead jobs back to waiting. */
import type { Command } from 'commander';
import { countOf, registerQueueAction } from '../queue-action.ts';

export function registerRedrive(program: Command): void {
  registerQueueAction(program, {
    name: 'redrive',
    description: 'move the dead jobs of a queue back to waiting',
    path: 'redrive',
    examples: ['docket redrive emails'],
    done: (queue, reply) => `redrove ${countOf(reply, 'redriven')} dead jobs of ${queue}`,
  });
}
