import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { lazyChildLogger } from '../src/logger.ts';

/** A pino logger (fastify's) writing its lines into `lines`, with a count of the children it made. */
function capturingLogger(level: string): {
  logger: FastifyBaseLogger;
  lines: Record<string, unknown>[];
  children: () => number;
} {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ logger: { level, stream } });
  const parent = app.log;
  let made = 0;
  const counting = Object.create(parent) as FastifyBaseLogger;
  counting.child = (bindings, options) => {
    made += 1;
    return parent.child(bindings, options);
  };
  return { logger: counting, lines, children: () => made };
}

describe('lazy request logger', () => {
  test('a request that logs nothing at an enabled level never makes its child', () => {
    const { logger, lines, children } = capturingLogger('info');
    const log = lazyChildLogger(logger, { reqId: 'req-1' }, {});
    log.debug('not at info');
    log.trace({ a: 1 }, 'nor this');
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
    expect(log.level).toBe('info');
  });

  test('lines at enabled levels go through one child with the bindings', () => {
    const { logger, lines, children } = capturingLogger('info');
    const log = lazyChildLogger(logger, { reqId: 'req-2' }, {});
    log.info({ n: 1 }, 'first');
    log.error('second %s', 'line');
    expect(children()).toBe(1);
    expect(lines.map((line) => [line['reqId'], line['msg'], line['level']])).toEqual([
      ['req-2', 'first', 30],
      ['req-2', 'second line', 50],
    ]);
    expect(lines[0]?.['n']).toBe(1);
  });

  test('a route log level given as an option decides, as it would on the child', () => {
    const { logger, lines } = capturingLogger('info');
    const quiet = lazyChildLogger(logger, { reqId: 'req-3' }, { level: 'error' });
    quiet.info('dropped');
    quiet.warn('dropped too');
    quiet.error('kept');
    const verbose = lazyChildLogger(logger, { reqId: 'req-4' }, { level: 'debug' });
    verbose.debug('kept at debug');
    expect(lines.map((line) => line['msg'])).toEqual(['kept', 'kept at debug']);
    expect(quiet.level).toBe('error');
  });

  test('a level set on it, and its own children, reach the real child', () => {
    const { logger, lines } = capturingLogger('info');
    const log = lazyChildLogger(logger, { reqId: 'req-5' }, {});
    log.level = 'debug';
    log.debug('now kept');
    log.child({ part: 'x' }).info('from a grandchild');
    expect(lines.map((line) => [line['reqId'], line['part'], line['msg']])).toEqual([
      ['req-5', undefined, 'now kept'],
      ['req-5', 'x', 'from a grandchild'],
    ]);
  });
});

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('as fastify’s child logger factory', () => {
  test('request lines keep their request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    app = Fastify({ logger: { level: 'info', stream }, childLoggerFactory: lazyChildLogger });
    app.get('/x', (request) => {
      request.log.info('inside');
      return { ok: true };
    });
    const answer = await app.inject({ method: 'GET', url: '/x' });
    expect(answer.statusCode).toBe(200);
    const inside = lines.find((line) => line['msg'] === 'inside');
    expect(inside?.['reqId']).toEqual(expect.any(String));
    const completed = lines.find((line) => line['msg'] === 'request completed');
    expect(completed?.['reqId']).toBe(inside?.['reqId']);
  });
});
