/**
 * The caller's stack at enqueue time (monsterqueue's EnqueueStack), stored in the job's
 * `meta.enqueueStack` so an operator can see where a failing job came from.
 */

/** monsterqueue's StackTraceLimit: enough for a dozen frames, small next to the 4 KiB meta value limit. */
export const ENQUEUE_STACK_LIMIT = 2048;

/** The stack below the SDK's own `skipFrames` frames, truncated to ENQUEUE_STACK_LIMIT characters. */
export function captureEnqueueStack(skipFrames: number): string {
  const stack = new Error('enqueue').stack ?? '';
  const lines = stack.split('\n').filter((line) => line.trim() !== '');
  // V8 starts with the message line and prefixes frames with "at"; other engines list frames only.
  const v8Frames = lines.filter((line) => /^\s+at /.test(line));
  const frames = v8Frames.length > 0 ? v8Frames : lines;
  // +1: this function's own frame.
  return frames
    .slice(skipFrames + 1)
    .map((line) => line.trim())
    .join('\n')
    .slice(0, ENQUEUE_STACK_LIMIT);
}
