/**
 * bin/build.js, the build `docket` runs from, on a workspace of its own in a temp directory: a
 * source change yields a new build, an unchanged tree reuses the build, and a module reading
 * files beside its source finds them from the build.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BUILD_JS = fileURLToPath(new URL('../bin/build.js', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

const root = mkdtempSync(join(tmpdir(), 'docket-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function workspace(): {
  run(): string;
  write(file: string, text: string): void;
  builds(): string[];
  touchBuildScript(): void;
} {
  const cli = join(root, 'packages', 'cli');
  const lib = join(root, 'packages', 'lib');
  mkdirSync(join(cli, 'bin'), { recursive: true });
  mkdirSync(join(cli, 'src'), { recursive: true });
  mkdirSync(join(lib, 'src'), { recursive: true });
  cpSync(BUILD_JS, join(cli, 'bin', 'build.js'));
  symlinkSync(NODE_MODULES, join(root, 'node_modules'));
  writeFileSync(join(cli, 'package.json'), '{"name":"cli","type":"module"}');
  writeFileSync(join(lib, 'package.json'), '{"name":"lib","type":"module"}');
  const write = (file: string, text: string): void => writeFileSync(join(root, 'packages', file), text);
  const run = (): string => {
    const entry = execFileSync(process.execPath, [join(cli, 'bin', 'build.js')], { encoding: 'utf8' }).trim();
    return execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)})`], {
      encoding: 'utf8',
    });
  };
  const builds = (): string[] => readdirSync(join(cli, 'dist')).sort();
  const touchBuildScript = (): void => appendFileSync(join(cli, 'bin', 'build.js'), '\n// changed\n');
  return { run, write, builds, touchBuildScript };
}

describe('the build docket runs from', () => {
  it('rebuilds after a source change, reuses an unchanged build, and keeps each module its own import.meta.url', () => {
    const ws = workspace();
    ws.write('lib/src/data.txt', 'beside the source');
    ws.write(
      'lib/src/read.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = (): string => readFileSync(new URL('./data.txt', import.meta.url), 'utf8');\n",
    );
    ws.write('cli/src/main.ts', "import { read } from '../../lib/src/read.ts';\nconsole.log('one', read());\n");
    expect(ws.run()).toBe('one beside the source\n');
    const first = ws.builds();
    expect(first).toHaveLength(1);

    expect(ws.run()).toBe('one beside the source\n');
    expect(ws.builds()).toEqual(first);

    ws.write('cli/src/main.ts', "import { read } from '../../lib/src/read.ts';\nconsole.log('two', read());\n");
    expect(ws.run()).toBe('two beside the source\n');
    expect(ws.builds()).toHaveLength(2);

    ws.touchBuildScript();
    expect(ws.run()).toBe('two beside the source\n');
    expect(ws.builds()).toHaveLength(3);
  });

  it('keeps every class name of the real CLI as written (error names come from them)', () => {
    const entry = execFileSync(process.execPath, [BUILD_JS], { encoding: 'utf8' }).trim();
    const dir = fileURLToPath(new URL('.', entry));
    const classes = new Set<string>();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
      // `class Name …` or `var Name = class …`: either way the class is named by that identifier.
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/\bclass ([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*) = class\b/g)) {
        const name = match[1] ?? match[2];
        if (name !== undefined) classes.add(name);
      }
    }
    expect(classes.size).toBeGreaterThan(20);
    const renamed = [...classes].filter((name) => /\d$/.test(name) && classes.has(name.replace(/\d+$/, '')));
    expect(renamed).toEqual([]);
  });
});
