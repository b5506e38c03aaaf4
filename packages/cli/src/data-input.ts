/**
 * Reads a job payload for `enqueue --data`: inline JSON, `@file.json`, or `-` for standard
 * input. The payload must be JSON; anything else is a usage error.
 */
import { readFile } from 'node:fs/promises';
import type { JsonValue } from '@docket/protocol';
import { UsageError } from './errors.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readSource(spec: string): Promise<{ text: string; from: string }> {
  if (spec === '-') return { text: await readStdin(), from: 'standard input' };
  if (!spec.startsWith('@')) return { text: spec, from: 'the value' };
  const path = spec.slice(1);
  try {
    return { text: await readFile(path, 'utf8'), from: path };
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new UsageError(`--data: cannot read ${path} (${reason})`);
  }
}

export async function readJsonData(spec: string): Promise<JsonValue> {
  const { text, from } = await readSource(spec);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new UsageError(`--data: ${from} is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}
