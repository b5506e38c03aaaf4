/**
 * The validator compiler: TypeBox's compiled checks, strict about what they accept.
 * - Bodies are checked as sent: no coercion, no removal of unknown properties.
 * - Query strings and path parameters are text: a property declared integer takes only decimal
 *   integer text ("1.5", "1e3" and "0x10" are refused rather than read as 1, 1 and 16), a
 *   boolean only "true" or "false".
 * - A union body (a job or a batch) reports the errors of the variant the value resembles most,
 *   instead of a bare "expected union value".
 * - A name refused by the queue-name pattern (queues, schedules) is told the rule in words.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { QUEUE_NAME_PATTERN, QUEUE_NAME_RULE } from '@docket/protocol';

/** Issues reported per failed check, at most. */
const MAX_ISSUES = 10;
const INTEGER_TEXT = /^-?(?:0|[1-9]\d*)$/;
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

interface Variant {
  readonly required: readonly string[];
  readonly check: TypeCheck<TSchema>;
}

function convertText(schema: unknown, value: unknown): unknown {
  if (typeof value !== 'string' || typeof schema !== 'object' || schema === null) return value;
  const type = (schema as { type?: unknown }).type;
  if (type === 'integer' && INTEGER_TEXT.test(value)) return Number(value);
  if (type === 'number' && NUMBER_TEXT.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Query strings and params are flat objects of text: convert each declared property. */
function convertFlat(schema: TSchema, value: unknown): unknown {
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  if (properties === undefined || typeof value !== 'object' || value === null) return value;
  const converted: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    converted[key] = Object.hasOwn(properties, key) ? convertText(properties[key], item) : item;
  }
  return converted;
}

function unionVariants(schema: TSchema): Variant[] {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  if (anyOf === undefined) return [];
  return anyOf.map((variant) => ({
    required: (variant as { required?: string[] }).required ?? [],
    check: TypeCompiler.Compile(variant),
  }));
}

/** An issue's message; a name the queue-name pattern refused is told the rule in words. */
export function issueMessage(error: ValueError): string {
  return (error.schema as { pattern?: unknown }).pattern === QUEUE_NAME_PATTERN.source
    ? QUEUE_NAME_RULE
    : error.message;
}

function issuesOf(check: TypeCheck<TSchema>, value: unknown): FastifySchemaValidationError[] {
  const issues: FastifySchemaValidationError[] = [];
  for (const error of check.Errors(value)) {
    issues.push({
      keyword: 'typebox',
      instancePath: error.path,
      schemaPath: '',
      params: {},
      message: issueMessage(error),
    });
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues;
}

/** The variant missing the fewest of its required properties (the first on a tie). */
function closestVariant(variants: readonly Variant[], value: unknown): Variant | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let best: Variant | undefined;
  let bestMissing = Infinity;
  for (const variant of variants) {
    const missing = variant.required.filter((key) => !Object.hasOwn(value, key)).length;
    if (missing < bestMissing) {
      best = variant;
      bestMissing = missing;
    }
  }
  return best;
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const variants = unionVariants(schema);
  const isText = httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers';
  return (input: unknown) => {
    const value = isText ? convertFlat(schema, input) : input;
    if (check.Check(value)) return { value };
    const variant = closestVariant(variants, value);
    return { error: issuesOf(variant?.check ?? check, value) };
  };
};
