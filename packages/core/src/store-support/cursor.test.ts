import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@docket/protocol';
import { decodeNumberCursor, decodeStringCursor, encodeNumberCursor, encodeStringCursor } from './cursor.ts';

describe('page cursors', () => {
  it('round-trips a numeric key by name', () => {
    const cursor = encodeNumberCursor('delayed', [1_700_000_000_000, 42]);
    expect(decodeNumberCursor(cursor, 'delayed', ['runAt', 'seq'])).toEqual({ runAt: 1_700_000_000_000, seq: 42 });
  });

  it('round-trips a string key, checked against a shape when given', () => {
    const cursor = encodeStringCursor('queues', 'emails');
    expect(decodeStringCursor(cursor, 'queues')).toBe('emails');
    expect(decodeStringCursor(cursor, 'queues', /^e/)).toBe('emails');
    expect(() => decodeStringCursor(cursor, 'queues', /^x/)).toThrow(InvalidArgumentError);
  });

  it("refuses another list's cursor, a wrong key and garbage", () => {
    const cursor = encodeNumberCursor('delayed', [1, 2]);
    expect(() => decodeNumberCursor(cursor, 'waiting', ['priority', 'seq'])).toThrow(/previous waiting page/);
    expect(() => decodeNumberCursor(cursor, 'delayed', ['seq'])).toThrow(InvalidArgumentError);
    expect(() => decodeStringCursor(cursor, 'delayed')).toThrow(InvalidArgumentError);
    expect(() => decodeNumberCursor(encodeNumberCursor('delayed', [1.5, 2]), 'delayed', ['a', 'b'])).toThrow(
      InvalidArgumentError,
    );
    expect(() => decodeStringCursor('not base64 json!', 'queues')).toThrow(InvalidArgumentError);
  });
});
