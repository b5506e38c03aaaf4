/** A temp directory per test file, removed after the file's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function useTempDir(prefix: string): (file: string) => string {
  const dir = mkdtempSync(join(tmpdir(), `docket-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (file) => join(dir, file);
}
