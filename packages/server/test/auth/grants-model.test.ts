/**
 * The authorization decision against a reference model: for random grants and random calls
 * (an action on one or several queues), authorize() allows exactly what the model allows. The
 * model reads a pattern as a regular expression (`*` → `.*`, everything else literal), which is
 * what docs/security.md promises. Also the pattern edge cases by name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, ForbiddenError, parseGrant, patternMatches, type Action, type Grant } from '@docket/protocol';
import { authorize } from '../../src/auth/authorize.ts';

function modelMatches(pattern: string, queue: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(queue);
}

function modelAllows(grants: readonly Grant[], action: Action, queues: readonly string[]): boolean {
  return queues.every((queue) => grants.some((g) => g.action === action && modelMatches(g.pattern, queue)));
}

/** A small alphabet so that patterns and queues often meet. */
const queueName = fc.stringMatching(/^[ab.:-]{1,5}$/);
const pattern = fc.stringMatching(/^[ab.*-]{1,6}$/);
const action = fc.constantFrom(...ACTIONS);
const grant = fc.record({ action, pattern });

describe('authorize against the reference model', () => {
  it('allows exactly what the model allows, and refuses with the action and a refused queue', () => {
    fc.assert(
      fc.property(
        fc.array(grant, { maxLength: 6 }),
        action,
        fc.array(queueName, { minLength: 1, maxLength: 4 }),
        (grants, act, queues) => {
          const principal = { id: 't', name: 't', grants };
          const expected = modelAllows(grants, act, queues);
          let refusal: unknown = null;
          try {
            authorize(principal, act, queues);
          } catch (err) {
            refusal = err;
          }
          expect(refusal === null).toBe(expected);
          if (refusal !== null) {
            expect(refusal).toBeInstanceOf(ForbiddenError);
            const details = (refusal as ForbiddenError).details ?? {};
            expect(details['action']).toBe(act);
            const queue = String(details['queue']);
            expect(queues).toContain(queue);
            expect(modelAllows(grants, act, [queue])).toBe(false);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('patternMatches agrees with the model on any pattern and name', () => {
    fc.assert(
      fc.property(pattern, queueName, (p, q) => {
        expect(patternMatches(p, q)).toBe(modelMatches(p, q));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('pattern edge cases', () => {
  it.each([
    ['emails', 'emails', true],
    ['emails', 'emails2', false],
    ['emails', 'email', false],
    ['emails*', 'emails', true],
    ['emails*', 'emails.eu', true],
    ['billing.*', 'billing', false],
    ['billing.*', 'billing.', true],
    ['billing.*', 'billing.eu.late', true],
    ['billing.*', 'billingXeu', false],
    ['*', 'anything/at:all', true],
    ['*.dlq', 'emails.dlq', true],
    ['*.dlq', 'emails.dlq2', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['**', 'x', true],
  ])('%s on %s: %s', (p, q, expected) => {
    expect(patternMatches(p, q)).toBe(expected);
  });

  it('grants parse as action:pattern and refuse anything else', () => {
    expect(parseGrant('produce:emails*')).toEqual({ action: 'produce', pattern: 'emails*' });
    expect(parseGrant('read:*')).toEqual({ action: 'read', pattern: '*' });
    for (const bad of ['write:x', 'produce', 'produce:', 'read:a b', 'admin:x{y}', `read:${'a'.repeat(201)}`]) {
      expect(() => parseGrant(bad)).toThrow(/invalid grant/);
    }
  });
});
