/** Every catalog code comes back over the wire as its own protocol class, with code and message kept. */
import { describe, expect, it } from 'vitest';
import { errorFromWire, UnexpectedResponseError } from '@docket/client';
import { DocketError, ErrorCode, RouteNotFoundError, UnsupportedMediaTypeError } from '@docket/protocol';

describe('errors from the wire', () => {
  it.each(Object.values(ErrorCode))('%s becomes its own protocol class', (code) => {
    const details = { id: 'job-1', queue: 'emails', state: 'completed' };
    const error = errorFromWire(400, { code, message: 'what was wrong', details });
    expect(error).toBeInstanceOf(DocketError);
    expect(error.constructor).not.toBe(DocketError);
    expect(error).toMatchObject({ code, message: 'what was wrong' });
  });

  it('rebuilds the HTTP layer errors with their details', () => {
    const route = errorFromWire(404, {
      code: 'ROUTE_NOT_FOUND',
      message: 'no route for GET /x',
      details: { method: 'GET', url: '/x' },
    });
    expect(route).toBeInstanceOf(RouteNotFoundError);
    expect(route).toMatchObject({ message: 'no route for GET /x', details: { method: 'GET', url: '/x' } });
    const media = errorFromWire(415, {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'unsupported content type text/plain: expected application/json',
      details: { contentType: 'text/plain' },
    });
    expect(media).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(media).toMatchObject({ details: { contentType: 'text/plain' } });
  });

  it('keeps an unknown code as an UnexpectedResponseError', () => {
    const error = errorFromWire(418, { code: 'TEAPOT', message: 'short and stout' });
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({ status: 418, code: 'TEAPOT', message: 'short and stout' });
  });
});
