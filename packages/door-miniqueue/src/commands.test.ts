import { describe, expect, it } from 'vitest';
import { MAX_DACK_SECONDS, MESSAGES, parseCommand } from './commands.ts';

describe('parseCommand', () => {
  it('matches the first space-separated word, as miniqueue', () => {
    expect(parseCommand('INIT')).toEqual({ kind: 'init' });
    expect(parseCommand('ACK please')).toEqual({ kind: 'ack' });
    expect(parseCommand('NACK')).toEqual({ kind: 'nack' });
    expect(parseCommand('BACK')).toEqual({ kind: 'back' });
    expect(parseCommand('ack')).toEqual({ kind: 'refused', error: MESSAGES.unrecognised, ends: false });
    expect(parseCommand(' INIT')).toEqual({ kind: 'refused', error: MESSAGES.unrecognised, ends: false });
  });

  it("reads DACK's seconds as Go's Atoi, negative meaning now", () => {
    expect(parseCommand('DACK 5')).toEqual({ kind: 'dack', seconds: 5 });
    expect(parseCommand('DACK +7')).toEqual({ kind: 'dack', seconds: 7 });
    expect(parseCommand('DACK 0')).toEqual({ kind: 'dack', seconds: 0 });
    expect(parseCommand('DACK -5')).toEqual({ kind: 'dack', seconds: 0 });
    expect(parseCommand('DACK 5 extra')).toEqual({ kind: 'dack', seconds: 5 });
    expect(parseCommand(`DACK ${MAX_DACK_SECONDS}`)).toEqual({ kind: 'dack', seconds: MAX_DACK_SECONDS });
  });

  it('refuses a DACK without a valid number, ending the stream', () => {
    expect(parseCommand('DACK')).toEqual({ kind: 'refused', error: MESSAGES.dackTooFew, ends: true });
    for (const bad of ['DACK ', 'DACK  5', 'DACK oops', 'DACK 1.5', 'DACK 1e3']) {
      expect(parseCommand(bad)).toEqual({ kind: 'refused', error: MESSAGES.dackInvalid, ends: true });
    }
    expect(parseCommand(`DACK ${MAX_DACK_SECONDS + 1}`)).toMatchObject({ kind: 'refused', ends: true });
  });
});
