/**
 * Reads the YAML config file of `docket serve`. A missing file or bad YAML is a config problem
 * (exit code 2), reported as one line each.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';

export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new ConfigError([`config file ${path}: cannot read it (${reason})`]);
  }
  const document = parseDocument(text);
  const problems = document.errors.map(
    (e) => `config file ${path}: invalid YAML: ${e.message.split('\n')[0] ?? e.code}`,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return document.toJS() as unknown;
}
