import { defineConfig } from 'vitest/config';

/**
 * Two groups, run one after the other: everything else in parallel, then the system tests of
 * test/reliability one file at a time, so their latency and redelivery deadlines are measured on
 * a machine that is not also running other test files.
 */
const shared = { pool: 'forks', testTimeout: 30_000, hookTimeout: 30_000 } as const;
const SYSTEM = 'test/reliability/**/*.test.ts';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [SYSTEM],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'system',
          include: [SYSTEM],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
