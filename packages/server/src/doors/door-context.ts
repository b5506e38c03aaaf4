/**
 * What a front door reaches: the engine every door shares, the app's lifecycle (long waits end
 * when the server closes), the HTTP body limits the native API uses, and the stream metrics its
 * long-lived subscriptions count in; and the shape of a door package's HTTP part.
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '@docket/core';
import type { Lifecycle } from '../lifecycle.ts';
import type { ServerLimits } from '../limits.ts';
import type { StreamMetrics } from '../streaming/stream-metrics.ts';

export interface DoorContext {
  readonly engine: Engine;
  readonly lifecycle: Lifecycle;
  readonly limits: ServerLimits;
  readonly streams: StreamMetrics;
}

/** A front door package's HTTP part: `register` adds its routes to the app, in the app's order. */
export interface FrontDoor {
  readonly name: string;
  register(app: FastifyInstance, ctx: DoorContext): void;
}

/** Routes of a door never appear in the OpenAPI document: it describes the native API only. */
export const HIDDEN = { hide: true } as const;
