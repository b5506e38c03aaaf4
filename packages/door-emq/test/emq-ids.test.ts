/**
 * emq ids and Docket job ids: a ULID and its 22-character emq id map both ways; other ids keep
 * their text behind `~`; malformed ids get emq's own messages.
 */
import { describe, expect, test } from 'vitest';
import { emqIdOf, jobIdOf } from '../src/ids.ts';

describe('emq ids', () => {
  test('a ULID maps to 22 characters of unpadded standard base64 and back', () => {
    for (const ulid of ['01ARZ3NDEKTSV4RRFFQ69G5FAV', '7ZZZZZZZZZZZZZZZZZZZZZZZZZ', '00000000000000000000000000']) {
      const emqId = emqIdOf(ulid);
      expect(emqId).toMatch(/^[A-Za-z0-9+/]{22}$/);
      expect(jobIdOf(emqId)).toBe(ulid);
    }
  });

  test('every 16-byte emq id names a ULID that maps back to the same id', () => {
    const emqId = 'Uv38ByGCZU8WP18PmmIdcg';
    const jobId = jobIdOf(emqId);
    expect(jobId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(emqIdOf(jobId)).toBe(emqId);
  });

  test('a client-chosen Docket id is shown behind ~ and read back', () => {
    expect(emqIdOf('order-42')).toBe('~order-42');
    expect(jobIdOf('~order-42')).toBe('order-42');
  });

  test.each([
    ['Uv38ByGCZU8WP18PmmIdc', 'illegal base64 data at input byte 20'],
    ['Uv38ByGCZU8WP18PmmIdcg==', 'illegal base64 data at input byte 22'],
    ['Uv38ByGCZU8WP18Pmm-dcg', 'illegal base64 data at input byte 18'],
    ['abcd', 'invalid length'],
    ['', 'invalid length'],
  ])('%j is refused with %j', (emqId, message) => {
    expect(() => jobIdOf(emqId)).toThrow(message);
  });
});
