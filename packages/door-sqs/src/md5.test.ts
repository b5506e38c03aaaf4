/**
 * The digests against published vectors (AWS's own examples as other SQS implementations test
 * them), not against a second copy of the algorithm.
 */
import { describe, expect, test } from 'vitest';
import { md5OfAttributes, md5OfBody } from './md5.ts';

describe('SQS digests', () => {
  test('MD5OfMessageBody is the MD5 of the body bytes', () => {
    expect(md5OfBody('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(md5OfBody('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  test('MD5OfMessageAttributes of one String attribute', () => {
    expect(md5OfAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
  });

  test('MD5OfMessageAttributes sorts by name and encodes Number as String', () => {
    expect(
      md5OfAttributes({
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
  });

  test('a Binary attribute hashes its decoded bytes with transport byte 2, unlike the same text', () => {
    const binary = md5OfAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.from('x').toString('base64') } });
    const text = md5OfAttributes({ b: { DataType: 'Binary', StringValue: 'x' } });
    expect(binary).toMatch(/^[0-9a-f]{32}$/);
    expect(binary).not.toBe(text);
  });

  test('no attributes, no digest', () => {
    expect(md5OfAttributes({})).toBeUndefined();
  });
});
