import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { expect, test } from 'vitest';

// The endless sources push on the next turn: a source pushing inside read() would spin one tick forever.
import { BodyTooLargeError, readBody } from './read-body.ts';

test('an endless gzip bomb is refused once its decoded bytes pass the limit', async () => {
  const zeros = new Readable({
    read() {
      setImmediate(() => this.push(Buffer.alloc(64 * 1024)));
    },
  });
  const bomb = zeros.pipe(createGzip());
  try {
    await expect(readBody(bomb, { 'content-encoding': 'gzip' }, 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
  } finally {
    zeros.destroy();
    bomb.destroy();
  }
});

test('an endless plain body is refused once it passes the limit', async () => {
  const endless = new Readable({
    read() {
      setImmediate(() => this.push(Buffer.alloc(16 * 1024, 1)));
    },
  });
  try {
    await expect(readBody(endless, {}, 100_000)).rejects.toThrow(
      'request body is larger than the limit of 100000 bytes',
    );
  } finally {
    endless.destroy();
  }
});
