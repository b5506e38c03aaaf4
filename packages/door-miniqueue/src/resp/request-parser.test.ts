import { describe, expect, it } from 'vitest';
import { MAX_ARGS, MAX_LINE_BYTES, RespProtocolError, RespRequestParser } from './request-parser.ts';

/** The requests a push completed, as text; fails the test on a protocol error. */
function texts(parser: RespRequestParser, bytes: Buffer | string): string[][] {
  const { requests, error } = parser.push(Buffer.from(bytes));
  if (error !== null) throw error;
  return requests.map((args) => args.map((arg) => arg.toString('latin1')));
}

describe('RespRequestParser', () => {
  it('reads arrays of bulk strings, binary-safe, several per chunk', () => {
    const binary = Buffer.from([0, 13, 10, 36, 42]);
    const wire = Buffer.concat([
      Buffer.from('*1\r\n$4\r\nPING\r\n*3\r\n$7\r\nPUBLISH\r\n$1\r\nt\r\n$5\r\n'),
      binary,
      Buffer.from('\r\n'),
    ]);
    expect(texts(new RespRequestParser(1024), wire)).toEqual([['PING'], ['PUBLISH', 't', binary.toString('latin1')]]);
  });

  it('waits for the rest of a request cut anywhere, byte by byte', () => {
    const parser = new RespRequestParser(1024);
    const wire = Buffer.from('*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\ntopic\r\nPING\r\n');
    const seen: string[][] = [];
    for (const byte of wire) seen.push(...texts(parser, Buffer.from([byte])));
    expect(seen).toEqual([['SUBSCRIBE', 'topic'], ['PING']]);
  });

  it('reads inline commands with CRLF or LF, splitting on spaces and tabs, skipping empty lines', () => {
    expect(texts(new RespRequestParser(1024), 'PUBLISH  t\tv\r\n\r\n\nping\n')).toEqual([
      ['PUBLISH', 't', 'v'],
      ['ping'],
    ]);
  });

  it('takes an empty or null array as no request, and an empty bulk string as an empty argument', () => {
    expect(texts(new RespRequestParser(1024), '*0\r\n*-1\r\n*1\r\n$0\r\n\r\n')).toEqual([['']]);
  });

  it.each([
    ['a non-numeric array length', '*x\r\n', 'invalid multibulk length'],
    ['an array length without CR', '*1\n', 'invalid multibulk length'],
    ['more arguments than MAX_ARGS', `*${MAX_ARGS + 1}\r\n`, 'invalid multibulk length'],
    ['an element that is not a bulk string', '*1\r\n+PING\r\n', "expected '$', got '+'"],
    ['a negative bulk length', '*1\r\n$-1\r\n', 'invalid bulk length'],
    ['a bulk longer than the limit', '*1\r\n$1025\r\n', 'invalid bulk length'],
    ['a bulk not followed by CRLF', '*1\r\n$4\r\nPINGxx', 'bulk string not followed by CRLF'],
    ['too many inline words', `${'w '.repeat(MAX_ARGS + 1)}\r\n`, 'too many arguments'],
  ])('refuses %s after the requests before it, then reads nothing more', (_what, wire, message) => {
    const parser = new RespRequestParser(1024);
    const { requests, error } = parser.push(Buffer.from(`PING\r\n${wire}`));
    expect(requests.map((args) => args.map(String))).toEqual([['PING']]);
    expect(error).toBeInstanceOf(RespProtocolError);
    expect(error?.message).toContain(message);
    expect(parser.push(Buffer.from('PING\r\n'))).toEqual({ requests: [], error: null });
  });

  it('refuses a line that grows past MAX_LINE_BYTES without an end, before holding more', () => {
    const parser = new RespRequestParser(1024);
    expect(parser.push(Buffer.alloc(MAX_LINE_BYTES, 0x61))).toEqual({ requests: [], error: null });
    expect(parser.push(Buffer.from('a')).error?.message).toBe(`line longer than ${MAX_LINE_BYTES} bytes`);
  });
});
