/**
 * What a front door reaches: the engine every door shares, the app's lifecycle (long waits end
 * when the server closes), the HTTP body limits the native API uses, and the stream metrics its
 * long-lived subscriptions count in.
 */
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

/** Routes of a door never appear in the OpenAPI document: it describes the native API only. */
export const HIDDEN = { hide: true } as const;
