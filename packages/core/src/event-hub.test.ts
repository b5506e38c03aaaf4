import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.ts';

describe('EventHub', () => {
  it('delivers to listeners in order and unsubscribes', () => {
    const hub = new EventHub<{ ping: number }>();
    const got: string[] = [];
    const off = hub.on('ping', (n) => got.push(`a${n}`));
    hub.on('ping', (n) => got.push(`b${n}`));
    hub.emit('ping', 1);
    off();
    hub.emit('ping', 2);
    expect(got).toEqual(['a1', 'b1', 'b2']);
  });

  it('a throwing listener is reported and does not stop the others', () => {
    const errors: unknown[] = [];
    const hub = new EventHub<{ ping: number }>((err) => errors.push(err));
    const got: number[] = [];
    hub.on('ping', () => {
      throw new Error('boom');
    });
    hub.on('ping', (n) => got.push(n));
    hub.emit('ping', 7);
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
  });
});
