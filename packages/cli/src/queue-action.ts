/** The shape shared by `pause`, `resume`, `purge` and `redrive`: one POST on one queue. */
import type { Command } from 'commander';
import { addClientOptions, clientFrom, type ClientFlags } from './client-options.ts';
import { segment } from './http-client.ts';
import { note, printJson } from './output.ts';

export interface QueueAction {
  readonly name: string;
  readonly description: string;
  /** The path after /v1/queues/{queue}/. */
  readonly path: string;
  readonly examples: readonly string[];
  /** The human line, from the server's reply. */
  readonly done: (queue: string, reply: unknown) => string;
}

export function registerQueueAction(program: Command, action: QueueAction): void {
  addClientOptions(
    program
      .command(`${action.name} <queue>`)
      .description(action.description)
      .addHelpText('after', `\nExamples:\n${action.examples.map((e) => `  ${e}`).join('\n')}`),
  ).action(async (queue: string, flags: ClientFlags) => {
    const reply = await clientFrom(flags).request<unknown>('POST', `/v1/queues/${segment(queue)}/${action.path}`);
    if (flags.json === true) printJson(reply);
    else note(action.done(queue, reply));
  });
}

/** A number field of the server's reply (`purged`, `redriven`), or `?` when it sent none. */
export function countOf(reply: unknown, field: string): string {
  if (typeof reply === 'object' && reply !== null && field in reply)
    return String((reply as Record<string, unknown>)[field]);
  return '?';
}
