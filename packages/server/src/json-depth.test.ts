import { describe, expect, test } from 'vitest';
import { jsonDeeperThan } from './json-depth.ts';

describe('jsonDeeperThan', () => {
  test('counts nested arrays and objects', () => {
    expect(jsonDeeperThan('[[[]]]', 3)).toBe(false);
    expect(jsonDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(jsonDeeperThan('{"a":{"b":[{}]}}', 3)).toBe(true);
  });

  test('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan('["[[[[", "\\"[[[[", "\\\\"]', 1)).toBe(false);
    expect(jsonDeeperThan('"{{{{{{"', 0)).toBe(false);
  });

  test('depth goes back down after a closed value', () => {
    expect(jsonDeeperThan('[[1],[2],[3],[[4]]]', 3)).toBe(false);
  });
});
