/**
 * Prints the closing line CI reads: `N passed, N failed, N skipped`, last, after vitest's own
 * summary. A run that executed no test prints `0 passed` and fails, so an empty run cannot pass.
 * A file that failed outside its tests (a hook that threw or timed out, an import error) counts as
 * one failure, so the line never says `0 failed` for a run vitest failed.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly unknown[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedTests += 1;
        else skipped += 1;
      }
      failed += failedTests;
      if (module.state() === 'failed' && failedTests === 0) failed += 1;
    }
    failed += unhandledErrors.length;
    if (passed + failed === 0) {
      failed += 1;
      process.stdout.write('no test ran: counting the run as failed\n');
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    if (failed > 0) process.exitCode = 1;
  }
}
