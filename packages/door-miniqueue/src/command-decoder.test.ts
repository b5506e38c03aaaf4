import { describe, expect, it } from 'vitest';
import { CommandDecoder, MAX_COMMAND_CHARS, type Decoded } from './command-decoder.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const commands = (...texts: string[]): Decoded[] => texts.map((text) => ({ kind: 'command', text }));

describe('CommandDecoder', () => {
  it('splits JSON strings separated by any JSON whitespace', () => {
    const decoder = new CommandDecoder();
    expect(decoder.push(bytes('"INIT"\n"ACK" \t\r\n"DACK 5""NACK"'))).toEqual(
      commands('INIT', 'ACK', 'DACK 5', 'NACK'),
    );
    expect(decoder.end()).toEqual([]);
  });

  it('waits for a string cut anywhere, including inside an escape or a UTF-8 character', () => {
    const decoder = new CommandDecoder();
    const text = bytes('"A\\"é\\u0041"');
    const out: Decoded[] = [];
    for (const byte of text) out.push(...decoder.push(Uint8Array.of(byte)));
    expect(out).toEqual(commands('A"éA'));
  });

  it('stops at the first value that is not a valid string, and ignores what follows', () => {
    for (const body of ['42', '{"a":1}', '["INIT"]', 'INIT', '"bad \\q"', '"\u0001"']) {
      const decoder = new CommandDecoder();
      expect(decoder.push(bytes(`"INIT" ${body} "ACK"`)), body).toEqual([...commands('INIT'), { kind: 'invalid' }]);
      expect(decoder.push(bytes('"ACK"'))).toEqual([]);
      expect(decoder.end()).toEqual([]);
    }
  });

  it('treats a string cut by the end of the body as invalid', () => {
    const decoder = new CommandDecoder();
    expect(decoder.push(bytes('"IN'))).toEqual([]);
    expect(decoder.end()).toEqual([{ kind: 'invalid' }]);
  });

  it('refuses an unterminated string longer than a command can be', () => {
    const decoder = new CommandDecoder();
    expect(decoder.push(bytes(`"${'x'.repeat(MAX_COMMAND_CHARS)}`))).toEqual([{ kind: 'invalid' }]);
  });
});
