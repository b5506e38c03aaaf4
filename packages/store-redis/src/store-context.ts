/** What every operation of the Redis store works with: the command connection, the key layout and the time mode. */
import type { Redis } from 'ioredis';
import type { KeyLayout } from './key-layout.ts';
import { runScript, type ScriptName } from './script-catalog.ts';

/**
 * `backend`: scripts take the time from Redis TIME and move the absolute times of each call by
 * how far the caller's clock is off (StoreCapabilities.sharedClock). `caller`: the caller's `now`
 * is used as is (tests on a manual clock).
 */
export type TimeMode = 'backend' | 'caller';

export interface StoreContext {
  readonly client: Redis;
  readonly keys: KeyLayout;
  readonly time: TimeMode;
}

/** Runs a script with ARGV = `args`. */
export function run(ctx: StoreContext, name: ScriptName, args: readonly string[]): Promise<unknown> {
  return runScript(ctx.client, name, ctx.keys.base, args);
}

/** Runs a script that takes the time: ARGV = now, time mode, ...`args`. */
export function runTimed(ctx: StoreContext, name: ScriptName, now: number, args: readonly string[]): Promise<unknown> {
  return runScript(ctx.client, name, ctx.keys.base, [String(now), ctx.time, ...args]);
}
