/**
 * One catalog, four places: protocol's ErrorCode, the HTTP status table, docs/errors.md and the
 * error classes the engine and the SDK throw. Every code appears in all four, with the same
 * status, in both directions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as protocol from '@docket/protocol';
import { DocketError, ErrorCode } from '@docket/protocol';
import { HTTP_STATUS_BY_CODE } from '../src/mod.ts';

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

type ErrorClass = new (...args: string[]) => DocketError;

/** The code of every DocketError subclass protocol exports, by class name. */
function classCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const [name, value] of Object.entries(protocol)) {
    if (typeof value !== 'function' || !(value.prototype instanceof DocketError)) continue;
    codes.set(name, new (value as ErrorClass)('x').code);
  }
  return codes;
}

describe('error catalog', () => {
  test('every code has an HTTP status, and the table has no other code', () => {
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  test('docs/errors.md documents exactly these codes with these statuses', () => {
    const documented = documentedStatuses();
    expect([...documented.keys()].sort()).toEqual(Object.values(ErrorCode).sort());
    for (const [code, status] of Object.entries(HTTP_STATUS_BY_CODE)) {
      expect(documented.get(code), code).toBe(status);
    }
  });

  test('every code has exactly one error class, and every error class has a catalog code', () => {
    expect([...classCodes().values()].sort()).toEqual(Object.values(ErrorCode).sort());
  });

  test('client errors are 4xx and only outages and bugs are 5xx', () => {
    const serverSide = Object.entries(HTTP_STATUS_BY_CODE)
      .filter(([, status]) => status >= 500)
      .map(([code]) => code)
      .sort();
    expect(serverSide).toEqual(['INTERNAL', 'STORAGE_FULL', 'UNAVAILABLE']);
  });
});
