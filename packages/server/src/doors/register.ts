/**
 * The compatible front doors: each one is an encapsulated fastify plugin under its own path
 * prefixes, with its own body parsers, not-found handling and error format, over the one engine
 * the native API uses (emq queue `x`, presque queue `x` and native queue `x` are one queue).
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '@docket/core';
import type { Lifecycle } from '../lifecycle.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { streamMetrics } from '../streaming/stream-metrics.ts';
import { registerEmqDoor } from './emq/plugin.ts';
import { registerMiniqueueDoor } from './miniqueue/plugin.ts';
import { registerPresqueDoor } from './presque/plugin.ts';

/** Registers every front door on the app. */
export function registerDoors(
  app: FastifyInstance,
  ctx: { readonly engine: Engine; readonly lifecycle: Lifecycle; readonly metrics: Metrics },
  limits: ServerLimits,
): void {
  const door = { engine: ctx.engine, lifecycle: ctx.lifecycle, limits, streams: streamMetrics(ctx.metrics.registry) };
  // First: its purge guard records the paths of every route registered after it.
  registerMiniqueueDoor(app, door);
  registerEmqDoor(app, door);
  registerPresqueDoor(app, door);
}
