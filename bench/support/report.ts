/**
 * Writes the "HTTP (npm run bench)" section of docs/benchmarks.md: replaces that section when
 * it exists, appends it otherwise, and leaves every other section (the store benchmark's) as
 * it is.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';

export const SECTION_TITLE = 'HTTP (npm run bench)';

export interface Row {
  readonly label: string;
  readonly value: string;
  readonly target: string;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const formatRate = (n: number): string => integer.format(Math.round(n));

export function renderSection(rows: readonly Row[], notes: readonly string[]): string {
  const cpu = cpus();
  const lines = [
    `## ${SECTION_TITLE}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (bench/http.ts) on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `Node ${process.version}: a \`docket serve\` process on a fresh temp data directory (SQLite, WAL, synchronous=FULL), ` +
      'loopback, 100-byte JSON payloads, the load generator in the same machine.',
    '',
    '| case | measured | target |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.label} | ${row.value} | ${row.target} |`),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ];
  return lines.join('\n');
}

/** Replaces (or appends) the section in `path`; creates the file with only this section. */
export async function writeSection(path: string, section: string): Promise<void> {
  if (!existsSync(path)) {
    await writeFile(path, section);
    return;
  }
  const text = await readFile(path, 'utf8');
  const heading = `## ${SECTION_TITLE}`;
  const start = text.indexOf(heading);
  if (start === -1) {
    await writeFile(path, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length);
  const rest = next === -1 ? '' : `\n${text.slice(next + 1)}`;
  await writeFile(path, `${text.slice(0, start)}${section}${rest}`);
}
