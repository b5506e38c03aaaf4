export { runStoreConformance, type StoreConformanceOptions } from './run-store-conformance.ts';
export type { CaseContext, StoreSkip } from './case-registry.ts';
export { runEngineConformance, type EngineConformanceOptions } from './engine/run-engine-conformance.ts';
export type { StoreFactory } from './engine/harness.ts';
export { jobFactory, newJob, freshTokens, type JobOverrides } from './support/new-jobs.ts';
