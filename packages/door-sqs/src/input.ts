/**
 * Typed reads of an action's input, which both wire formats hand over in the JSON protocol's
 * shape (wire/query-input.ts converts the query protocol's flattened parameters to it). Every
 * wrong type, missing member or out-of-range number is an SQS error naming the parameter, so no
 * input reaches the engine unchecked.
 */
import { sqsErrors } from './errors.ts';

export type Input = Readonly<Record<string, unknown>>;

export function asInput(value: unknown, what: string): Input {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw sqsErrors.invalidParameterValue(`${what} must be a structure.`);
  }
  return value as Input;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw sqsErrors.invalidParameterValue(`Value for parameter ${name} must be a string.`);
  return value;
}

export function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw sqsErrors.missingParameter(name);
  return value;
}

/** An integer in [min, max]; the query protocol's digits arrive as numbers already. */
export function optionalInteger(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw sqsErrors.invalidParameterValue(
      `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: must be an integer between ${min} and ${max}.`,
    );
  }
  return value;
}

export function optionalStringList(input: Input, name: string): readonly string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw sqsErrors.invalidParameterValue(`Value for parameter ${name} must be a list of strings.`);
  }
  return value;
}

export function optionalStringMap(input: Input, name: string): Readonly<Record<string, string>> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  const map = asInput(value, name);
  for (const [key, item] of Object.entries(map)) {
    if (typeof item !== 'string') throw sqsErrors.invalidParameterValue(`Value for ${name}.${key} must be a string.`);
  }
  return map as Readonly<Record<string, string>>;
}

export function optionalList(input: Input, name: string): readonly unknown[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw sqsErrors.invalidParameterValue(`Value for parameter ${name} must be a list.`);
  return value as unknown[];
}
