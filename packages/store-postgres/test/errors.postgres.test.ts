/**
 * How driver errors become protocol errors. Why PostgreSQL-specific: SQLSTATE codes and pg's own
 * connection errors are this driver's; one case provokes a real unexpected server error.
 */
import { expect, it } from 'vitest';
import { InternalError, LeaseMismatchError, StorageFullError, UnavailableError } from '@docket/protocol';
import { toStoreError } from '../src/pg-errors.ts';
import { jobFactory } from '@docket/store-testkit';
import { describePostgres, openStore } from './support/postgres.ts';

const makeJob = jobFactory({ queue: 'q', now: 1_000 });

function serverError(code: string, message = `server error ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describePostgres('error mapping', () => {
  it.each([
    ['08006', UnavailableError],
    ['57P01', UnavailableError],
    ['53300', UnavailableError],
    ['57014', UnavailableError],
    ['ECONNREFUSED', UnavailableError],
    ['53100', StorageFullError],
    ['42P01', UnavailableError],
    ['23514', InternalError],
    ['XX000', InternalError],
  ] as const)('SQLSTATE or socket code %s becomes %o with the driver error as cause', (code, type) => {
    const cause = serverError(code);
    const mapped = toStoreError(cause, 'jobAck');
    expect(mapped).toBeInstanceOf(type);
    expect(mapped.cause).toBe(cause);
    expect(mapped.details).toEqual({ code });
  });

  it('pg connection failures without a code are unavailability; protocol errors pass through', () => {
    expect(toStoreError(new Error('Connection terminated unexpectedly'), 'jobGet')).toBeInstanceOf(UnavailableError);
    expect(toStoreError(new Error('timeout exceeded when trying to connect'), 'jobGet')).toBeInstanceOf(
      UnavailableError,
    );
    const refusal = new LeaseMismatchError('job-1');
    expect(toStoreError(refusal, 'jobAck')).toBe(refusal);
    expect(toStoreError(new TypeError('bug'), 'jobAck')).toBeInstanceOf(InternalError);
  });

  it('an unexpected server error rejects with InternalError carrying the SQLSTATE and changes nothing', async () => {
    const store = await openStore();
    const tooBig = makeJob({ id: 'too-big', priority: 2 ** 40 });
    const error: unknown = await store
      .jobEnqueueMany({ jobs: [makeJob({ id: 'ok' }), tooBig], now: 1_000 })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as InternalError).details).toEqual({ code: '22003' });
    expect((error as InternalError).cause).toBeInstanceOf(Error);
    expect(await store.jobGet({ id: 'ok' })).toBeNull();
    await store.close();
  });
});
