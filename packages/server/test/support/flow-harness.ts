/**
 * The per-test setup of the flow-control test files (flow-control, flow-control-bytes, groups):
 * a fresh harness opened before each test and closed after it, the two requests every one of
 * them makes (configure a queue, enqueue into it), and the paths of a 400's issues.
 */
import { afterEach, beforeEach } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Engine } from '@docket/core';
import type { DocketApp } from '../../src/mod.ts';
import { createHarness, errorOf, withLiveHarness, type Harness } from './harness.ts';

type Inject = Promise<LightMyRequestResponse>;

export interface FlowHarness {
  readonly app: DocketApp;
  readonly engine: Engine;
  /** `PUT /v1/queues/{queue}` with `config`. */
  readonly configure: (queue: string, config: object) => Inject;
  /** `POST /v1/queues/{queue}/jobs` with `payload`. */
  readonly enqueue: (queue: string, payload: object) => Inject;
}

/** Opens a harness before each test of the file and closes it after the test. */
export function flowHarnessPerTest(): FlowHarness {
  let harness: Harness | undefined;
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  const current = (): Harness => {
    if (harness === undefined) throw new Error('the harness opens before each test: use it inside a test');
    return harness;
  };
  return withLiveHarness(current, {
    configure: (queue: string, config: object) =>
      current().app.inject({ method: 'PUT', url: `/v1/queues/${queue}`, payload: config }),
    enqueue: (queue: string, payload: object) =>
      current().app.inject({ method: 'POST', url: `/v1/queues/${queue}/jobs`, payload }),
  });
}

/** The JSON pointers of a validation error's issues. */
export function issuePaths(response: LightMyRequestResponse): string[] {
  const issues = (errorOf(response).details['issues'] ?? []) as ReadonlyArray<{ path: string }>;
  return issues.map((issue) => issue.path);
}
