/**
 * Runs `run` at the end of the current macrotask: setImmediate on Node; browsers have none, and
 * a zero timeout there is the closest. The batchers (settle-batcher.ts, enqueue-coalescer.ts)
 * gather the calls of one turn with it.
 */
export const afterThisTask: (run: () => void) => void =
  typeof globalThis.setImmediate === 'function'
    ? (run) => globalThis.setImmediate(run)
    : (run) => globalThis.setTimeout(run, 0);
