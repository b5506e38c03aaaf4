/**
 * The compatible front doors on the app: each door package (`@docket/door-emq`, `-presque`,
 * `-miniqueue`) registers encapsulated fastify scopes under its own path prefixes, with its own
 * body parsers, not-found handling and error format, over the one engine the native API uses
 * (emq queue `x`, presque queue `x` and native queue `x` are one queue). The composition root
 * chooses the doors and their order (miniqueue first: its purge guard records the paths of every
 * route registered after it).
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '@docket/core';
import type { Lifecycle } from '../lifecycle.ts';
import type { ServerLimits } from '../limits.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { streamMetrics } from '../streaming/stream-metrics.ts';
import type { FrontDoor } from './door-context.ts';

/** Registers each front door on the app, in the given order. */
export function registerDoors(
  app: FastifyInstance,
  ctx: { readonly engine: Engine; readonly lifecycle: Lifecycle; readonly metrics: Metrics },
  limits: ServerLimits,
  doors: readonly FrontDoor[],
): void {
  const door = { engine: ctx.engine, lifecycle: ctx.lifecycle, limits, streams: streamMetrics(ctx.metrics.registry) };
  for (const frontDoor of doors) frontDoor.register(app, door);
}
