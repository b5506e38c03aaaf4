/**
 * docs/state-machine.md must list exactly the transitions of core's state table, so the doc
 * cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from './state.ts';

const doc = readFileSync(new URL('../../../docs/state-machine.md', import.meta.url), 'utf8');

function docRows(): string[] {
  return doc
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, 5)
        .map((cell) => cell.trim().replaceAll('`', ''))
        .join(' '),
    );
}

describe('docs/state-machine.md', () => {
  it('lists every transition of the state table, and nothing else', () => {
    const fromCode = TRANSITIONS.map((t) => `${t.from} ${t.to}${t.reason ? ` (${t.reason})` : ''} ${t.cause} ${t.by}`);
    expect(docRows().sort()).toEqual(fromCode.sort());
  });
});
