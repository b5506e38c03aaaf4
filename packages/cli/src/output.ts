/**
 * Output of the admin commands: data to stdout, as JSON with `--json` or as an aligned table
 * for people. Messages for people go to stderr so that stdout stays parseable.
 */

export type Row = Readonly<Record<string, string | number | boolean | null | undefined>>;

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, process.stdout.isTTY ? 2 : undefined) + '\n');
}

/** Aligned columns with a header; `columns` fixes their order. */
export function formatTable(rows: readonly Row[], columns: readonly string[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

function cellText(value: Row[string]): string {
  if (value === null || value === undefined) return '-';
  return String(value);
}

export function printTable(rows: readonly Row[], columns: readonly string[]): void {
  if (rows.length === 0) {
    process.stderr.write('(none)\n');
    return;
  }
  process.stdout.write(formatTable(rows, columns));
}

/** `--json` prints `value`; otherwise the table of `rows()`. */
export function printData(json: boolean, value: unknown, rows: () => readonly Row[], columns: readonly string[]): void {
  if (json) printJson(value);
  else printTable(rows(), columns);
}

/** A short message for people (never data): stderr. */
export function note(message: string): void {
  process.stderr.write(message + '\n');
}

/** Milliseconds since the epoch as an ISO time, or `-`. */
export function isoTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(ms).toISOString();
}
