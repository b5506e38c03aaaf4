/**
 * Job ids the SDK gives every enqueue that has none, so a retried enqueue returns the first job
 * instead of adding a second. ULIDs, like the engine's own ids: time-sortable, 26 characters,
 * monotonic within one millisecond of this process.
 */
import { monotonicFactory } from 'ulid';
import { bufferedRandom } from '@docket/protocol';

const next = monotonicFactory(bufferedRandom());

export function newJobId(): string {
  return next();
}
