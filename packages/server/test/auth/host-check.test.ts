import { ForbiddenError } from '@docket/protocol';
import { describe, expect, test } from 'vitest';
import { checkHost, type BrowserPolicy } from '../../src/auth/browser-guard.ts';

const policy = (): BrowserPolicy => ({ corsOrigins: [], allowedHosts: ['queue.internal'] });
const refused = (host: string, on: BrowserPolicy): boolean => {
  try {
    checkHost({ host }, on);
    return false;
  } catch (err) {
    expect(err).toBeInstanceOf(ForbiddenError);
    return true;
  }
};

describe('the Host check with its last served value remembered', () => {
  test('a repeat of a served host is served, and a refused host stays refused around it', () => {
    const loopback = policy();
    expect(refused('127.0.0.1:8080', loopback)).toBe(false);
    expect(refused('127.0.0.1:8080', loopback)).toBe(false);
    expect(refused('evil.example:8080', loopback)).toBe(true);
    expect(refused('127.0.0.1:8080', loopback)).toBe(false);
    expect(refused('evil.example:8080', loopback)).toBe(true);
    expect(refused('QUEUE.internal', loopback)).toBe(false);
    expect(refused('127.0.0.1.evil.example', loopback)).toBe(true);
  });

  test('what one policy served says nothing to another', () => {
    const wide = policy();
    const narrow: BrowserPolicy = { corsOrigins: [], allowedHosts: [] };
    expect(refused('queue.internal', wide)).toBe(false);
    expect(refused('queue.internal', narrow)).toBe(true);
    expect(refused('localhost:1', narrow)).toBe(false);
  });
});
