/** Schemas of the lease route: the protocol's LeaseOptionsSchema in, leased jobs out. */
import { Type } from '@sinclair/typebox';
import { LeaseOptionsSchema } from '@docket/protocol';
import { JobRef } from './entities.ts';

export const LeaseBody = LeaseOptionsSchema;

export const LeaseReply = Type.Object({
  jobs: Type.Array(JobRef, { description: 'leased jobs, each with its leaseToken; empty when waitMs passed' }),
});
