/**
 * Response serializers: fast-json-stringify for success answers (compiled once per route and
 * status; the hot paths answer jobs), plain JSON.stringify for error answers. Errors are rare
 * and small, and compiling the shared Error schema for every route and error status was most
 * of the app's start-up time.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type SerializerFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']
>;

const fastJsonStringify = SerializerSelector();

function stringify(value: unknown): string {
  return JSON.stringify(value);
}

export const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = fastJsonStringify(externalSchemas, options);
  return (route) => (Number(route.httpStatus) >= 400 ? stringify : compile(route));
};
