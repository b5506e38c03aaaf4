/**
 * The SDK suite: one set of cases, run against every transport with the same expectations
 * (over HTTP against a real `docket serve`, and in-process against an engine). A transport that
 * passes it behaves as the SDK promises.
 */
import { describe } from 'vitest';
import { closeCases } from './cases/close.case.ts';
import { flowControlCases } from './cases/flow-control.case.ts';
import { producerCases } from './cases/producer.case.ts';
import { scheduleCases } from './cases/schedules.case.ts';
import { streamCases } from './cases/streams.case.ts';
import { taskCases } from './cases/tasks.case.ts';
import { typedJobCases } from './cases/typed-jobs.case.ts';
import { workerCases } from './cases/worker.case.ts';
import { useFixture, type BackendFactory } from './support/fixture.ts';

export function runSdkSuite(label: string, start: BackendFactory): void {
  describe(`SDK over ${label}`, () => {
    const fx = useFixture(start);
    producerCases(fx);
    workerCases(fx);
    closeCases(fx);
    taskCases(fx);
    typedJobCases(fx);
    streamCases(fx);
    flowControlCases(fx);
    scheduleCases(fx);
  });
}
