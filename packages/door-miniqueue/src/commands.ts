/**
 * miniqueue's subscribe commands: a JSON string per command, split on single spaces, matched on
 * the first word as miniqueue does (`"ACK please"` is ACK). Pure: the subscription acts on the
 * result. `ends`: miniqueue closes the stream after this refusal (it keeps reading after others).
 */
import { limits } from '@docket/protocol';

export type Command =
  | { readonly kind: 'init' | 'ack' | 'nack' | 'back' }
  | { readonly kind: 'dack'; readonly seconds: number }
  | { readonly kind: 'refused'; readonly error: string; readonly ends: boolean };

/** The longest DACK Docket accepts: the engine's delay limit (one year). */
export const MAX_DACK_SECONDS = Math.floor(limits.MAX_DELAY_MS / 1000);

/** The messages miniqueue answers, word for word (clients match on them). */
export const MESSAGES = {
  nextValue: 'error getting next value for consumer',
  ack: 'error ACKing message',
  nack: 'error NACKing message',
  back: 'error BACKing message',
  decoding: 'error decoding command',
  unrecognised: 'unrecognised command received',
  dackTooFew: 'too few arguments provided to DACK',
  dackInvalid: 'invalid DACK duration argument at position [1]',
} as const;

/** Go's strconv.Atoi syntax: an optional sign and decimal digits. */
const INTEGER = /^[+-]?\d+$/;

function dack(args: readonly string[]): Command {
  const raw = args[1];
  if (raw === undefined) return { kind: 'refused', error: MESSAGES.dackTooFew, ends: true };
  if (!INTEGER.test(raw)) return { kind: 'refused', error: MESSAGES.dackInvalid, ends: true };
  const seconds = Number(raw);
  if (seconds > MAX_DACK_SECONDS) {
    return { kind: 'refused', error: `${MESSAGES.dackInvalid}: at most ${MAX_DACK_SECONDS} seconds`, ends: true };
  }
  return { kind: 'dack', seconds: Math.max(0, seconds) };
}

export function parseCommand(text: string): Command {
  const args = text.split(' ');
  switch (args[0]) {
    case 'INIT':
      return { kind: 'init' };
    case 'ACK':
      return { kind: 'ack' };
    case 'NACK':
      return { kind: 'nack' };
    case 'BACK':
      return { kind: 'back' };
    case 'DACK':
      return dack(args);
    default:
      return { kind: 'refused', error: MESSAGES.unrecognised, ends: false };
  }
}
