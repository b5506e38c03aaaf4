/**
 * Hostile and malformed inputs for the fuzz test, by part of the request. Waits are kept short
 * or invalid (a valid 60 s long-poll would only slow the run down).
 */
import fc from 'fast-check';

const hugeNumbers = ['1e309', '-1e309', '9007199254740993', '1e20', '-0', '0.5', '1e3', '0x10', 'NaN', 'Infinity'];

export const paramArbitrary: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant('fuzz'), weight: 3 },
  fc.constantFrom('fuzz', 'emails', 'a%2Fb', 'q'.repeat(200), 'q'.repeat(201), '%', '%zz', '%E0%A4%A', '..', '%00'),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
  fc.string({ maxLength: 700, minLength: 600 }).map(encodeURIComponent),
);

const queryValue = fc.oneof(
  fc.constantFrom(...hugeNumbers, '0', '1', '5', '-1', '60001', 'true', 'waiting', 'dead', '', 'abc'),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: -5, max: 1000 }).map(String),
);
const queryKey = fc.constantFrom('limit', 'cursor', 'state', 'waitMs', 'name', 'priority', 'delayMs', '__proto__', 'x');

export const queryArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(queryKey, queryValue), { maxLength: 4 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`)),
  fc.constantFrom('?', '?&&', '?limit', '?limit=1&limit=2', '?%zz=1', '?waitMs=%'),
);

const contentTypeArbitrary: fc.Arbitrary<string | null> = fc.constantFrom(
  null,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'text/plain',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'a/b/c',
  ';;',
  '',
);

const deep = fc
  .integer({ min: 60, max: 5000 })
  .map((depth) => `{"data":${'['.repeat(depth)}${']'.repeat(depth)},"queues":["fuzz"]}`);

/** Bodies shaped like the real ones, with one field replaced by something wrong or extreme. */
const nearValid = fc
  .tuple(
    fc.constantFrom(
      { data: 1 },
      { jobs: [{ data: 1 }] },
      { queues: ['fuzz'], max: 2 },
      { lease: 'token', result: 1 },
      { items: [{ id: 'x', lease: 'y' }] },
      { queues: ['fuzz'] },
      { states: ['dead'] },
      { reason: 'expired' },
      { leaseMs: 1000 },
    ),
    fc.constantFrom('data', 'jobs', 'queues', 'max', 'waitMs', 'lease', 'items', 'priority', 'placement', '__proto__'),
    fc.oneof(
      fc.constantFrom(null, -1, 0, 1, 5, 1e308, -1e308, 2 ** 53 + 1, 60_001, 'x', [], {}, [null], true),
      fc.jsonValue({ maxDepth: 3 }),
    ),
  )
  .map(([base, key, value]) => JSON.stringify({ ...base, [key]: value }));

const bodyArbitrary: fc.Arbitrary<string | Buffer | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom('', '{', '[]', 'null', '"x"', '{"__proto__":{"x":1}}', '\uFEFF{}', '{"a":1,"a":2}', '1e309'),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  nearValid,
  deep,
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
  fc.integer({ min: 1, max: 3 }).map((mib) => 'x'.repeat(mib * 1024 * 1024 + 1)),
);

export interface FuzzBody {
  readonly contentType: string | null;
  readonly body: string | Buffer | null;
}

/** Mostly JSON bodies sent as JSON (so they reach validation), the rest anything with anything. */
export const fuzzBodyArbitrary: fc.Arbitrary<FuzzBody> = fc.oneof(
  {
    arbitrary: fc.record({ contentType: fc.constant('application/json'), body: fc.oneof(nearValid, deep) }),
    weight: 3,
  },
  { arbitrary: fc.record({ contentType: contentTypeArbitrary, body: bodyArbitrary }), weight: 2 },
);
