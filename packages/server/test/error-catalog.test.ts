/**
 * One catalog, three places: protocol's ErrorCode, the HTTP status table, and docs/errors.md.
 * Every code appears in all three, with the same status, in both directions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ErrorCode } from '@docket/protocol';
import { HTTP_ONLY_STATUS_BY_CODE, HTTP_STATUS_BY_CODE, HttpOnlyErrorCode } from '../src/mod.ts';

const DOC = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** `| \`CODE\` | 404 | meaning |` rows of every table in the page. */
function documentedStatuses(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of DOC.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)) {
    const [, code, status] = match;
    if (code === undefined || status === undefined) continue;
    expect(rows.has(code), `${code} documented twice`).toBe(false);
    rows.set(code, Number(status));
  }
  return rows;
}

describe('error catalog', () => {
  test('every protocol code has an HTTP status, and the table has no other code', () => {
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  test('HTTP-only codes are not in the protocol catalog (move them there, then delete them here)', () => {
    const catalog = new Set<string>(Object.values(ErrorCode));
    for (const code of Object.values(HttpOnlyErrorCode)) expect(catalog.has(code), code).toBe(false);
    expect(Object.keys(HTTP_ONLY_STATUS_BY_CODE).sort()).toEqual(Object.values(HttpOnlyErrorCode).sort());
  });

  test('docs/errors.md documents exactly these codes with these statuses', () => {
    const expected = new Map<string, number>([
      ...Object.entries(HTTP_STATUS_BY_CODE),
      ...Object.entries(HTTP_ONLY_STATUS_BY_CODE),
    ]);
    const documented = documentedStatuses();
    expect([...documented.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [code, status] of expected) expect(documented.get(code), code).toBe(status);
  });

  test('client errors are 4xx and only outages and bugs are 5xx', () => {
    const serverSide = Object.entries(HTTP_STATUS_BY_CODE)
      .filter(([, status]) => status >= 500)
      .map(([code]) => code)
      .sort();
    expect(serverSide).toEqual(['INTERNAL', 'STORAGE_FULL', 'UNAVAILABLE']);
  });
});
