// The build the `docket` command runs from: the workspace's TypeScript sources compiled by esbuild
// into one ES module (dist/<fingerprint>/main.js, with chunks for what is imported lazily: a store
// driver, the dashboard), npm dependencies left as imports.
//
// Why a build: a server that loaded its sources through tsx kept tsx's loader thread (a second
// V8 isolate) for its whole life, about 40 MB resident of the 200 MB a server holding 1 000 000
// waiting jobs may use, and every start and every CLI call transpiled each file again.
//
// Invariants: a build is named by a fingerprint of every source file it may include (path, size,
// mtime) and of esbuild's version, so a checkout always runs what its sources say (an edit, a
// checkout or a pull changes the fingerprint and the next start rebuilds); a build is written to
// a directory of its own and renamed into place whole, so processes starting at once never see
// half a build (the loser of the race keeps the winner's); a module that reads files beside its
// source (SQL, Lua, migrations, a worker script, the dashboard's web sources) sees the
// `import.meta.url` of its source file, relative to the build, so the repository can move.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES_DIR = dirname(CLI_DIR.replace(/[/\\]$/, ''));
const DIST_DIR = join(CLI_DIR, 'dist');
const ENTRY = join(CLI_DIR, 'src', 'main.ts');
/** Builds kept besides the current one, for processes still running from them (lazy chunks). */
const KEEP_BUILDS = 3;

function sourceFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'test') sourceFiles(path, out);
    } else if (/\.(ts|js|mjs|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

function fingerprint(esbuildVersion) {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  // This file too: a change of the build's own options makes a new build.
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const pkg of readdirSync(PACKAGES_DIR).sort()) {
    const dir = join(PACKAGES_DIR, pkg);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const files = [manifest];
    if (existsSync(join(dir, 'src'))) sourceFiles(join(dir, 'src'), files);
    for (const file of files.sort()) {
      const stat = statSync(file);
      hash.update(`${relative(PACKAGES_DIR, file)} ${stat.size} ${stat.mtimeMs}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** Every npm package a workspace package depends on: imported at run time, not bundled. */
function npmDependencies() {
  const names = new Set();
  for (const pkg of readdirSync(PACKAGES_DIR)) {
    const manifest = join(PACKAGES_DIR, pkg, 'package.json');
    if (!existsSync(manifest)) continue;
    const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const name of Object.keys({ ...dependencies, ...optionalDependencies })) {
      if (!name.startsWith('@docket/')) names.add(name);
    }
  }
  return [...names];
}

/** Gives each workspace module the import.meta.url of its own source file. */
function sourceUrlPlugin(outdir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const fromBuild = relative(outdir, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromBuild)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

function pruneOldBuilds(current) {
  const builds = readdirSync(DIST_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== current)
    .map((entry) => ({ path: join(DIST_DIR, entry.name), mtime: statSync(join(DIST_DIR, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const build of builds.slice(KEEP_BUILDS)) rmSync(build.path, { recursive: true, force: true });
}

/** The URL of the current build's entry module, building it first when the sources changed. */
export async function ensureBuild() {
  const esbuild = await import('esbuild');
  const name = fingerprint(esbuild.version);
  const target = join(DIST_DIR, name);
  const entry = pathToFileURL(join(target, 'main.js')).href;
  if (existsSync(join(target, 'main.js'))) return entry;
  mkdirSync(DIST_DIR, { recursive: true });
  const staging = join(DIST_DIR, `${name}.tmp-${process.pid}-${Date.now()}`);
  try {
    await esbuild.build({
      entryPoints: { main: ENTRY },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // No keepNames: it wraps every function expression in a `__name(fn, "name")` call that runs
      // each time the expression is evaluated, about 1.5 % of a single enqueue's server CPU on
      // closures made per request. The bundle keeps every class name as written (error names
      // come from them); only colliding function names get a suffix in stack traces.
      keepNames: false,
      sourcemap: 'linked',
      external: npmDependencies(),
      plugins: [sourceUrlPlugin(target)],
      logLevel: 'error',
    });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished the same build first: use it.
    if (!existsSync(join(target, 'main.js'))) throw err;
  } finally {
    await esbuild.stop();
  }
  pruneOldBuilds(name);
  return entry;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${await ensureBuild()}\n`);
}
