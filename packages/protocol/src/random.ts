/**
 * A random source for ULIDs, shared by the engine and the SDK: the CSPRNG read 4 KiB at a
 * time, as numbers in [0, 1) with 256 equally likely values (each picks one of ulid's 32
 * characters with equal odds). ulid's default source asks the system for one byte per
 * character, 16 calls per new id: 5 % of a server's time under single-job enqueues, and about
 * as much of an SDK producer's.
 *
 * Invariant: each byte of the buffer is used once; the buffer is refilled when used up.
 */

/** Random bytes drawn from the CSPRNG this many at a time. */
const RANDOM_BUFFER_BYTES = 4096;

export function bufferedRandom(): () => number {
  const buffer = new Uint8Array(RANDOM_BUFFER_BYTES);
  let next = buffer.length;
  return () => {
    if (next === buffer.length) {
      crypto.getRandomValues(buffer);
      next = 0;
    }
    return (buffer[next++] ?? 0) / 256;
  };
}
