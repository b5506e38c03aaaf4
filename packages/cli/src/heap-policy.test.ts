import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapPolicyFlag } from './heap-policy.ts';

describe('heap policy', () => {
  it('sets the fixed growing percent by default', () => {
    expect(heapPolicyFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapPolicyFlag(['--enable-source-maps', '--max-old-space-size=512'])).toBe('--heap-growing-percent=100');
  });

  it('leaves a growing percent given to node alone, in either spelling', () => {
    expect(heapPolicyFlag(['--heap-growing-percent=50'])).toBeUndefined();
    expect(heapPolicyFlag(['--heap_growing_percent=20'])).toBeUndefined();
  });
});
