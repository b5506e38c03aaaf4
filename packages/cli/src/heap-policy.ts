/**
 * The V8 heap policy of `docket serve`: a fixed heap growing factor of 2 instead of V8's adaptive
 * one (up to 4). After each full collection V8 lets the old generation grow to its live size
 * times that factor before the next one. With the adaptive factor an enqueue burst (every job
 * object lives across a commit, so many are promoted) grew a 30 MB live heap to 140 MB, and V8
 * kept those pages: 1 000 000 waiting jobs left the server at 226 MB resident against 174 MB with
 * the fixed factor, for about 4 % more CPU per job on batch enqueue (docs/benchmarks.md has the
 * A/B).
 *
 * A `--heap-growing-percent` given to node itself wins; the policy only fills the default.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

/** The V8 flag to set, or undefined when node was started with its own growing percent. */
export function heapPolicyFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): void {
  const flag = heapPolicyFlag(execArgv);
  if (flag !== undefined) setFlagsFromString(flag);
}
