/**
 * Peer systems the benchmark compares Docket with (BullMQ) are not Docket's dependencies: they
 * are installed on first use into `.bench-peers/` (git-ignored) with `npm install`, outside the
 * project's lockfile. This keeps `npm ci` to what Docket needs, and sidesteps bullmq's optional
 * native accelerator, whose non-Linux prebuilds the registry here lacks (npm then writes a
 * lockfile that `npm ci` refuses).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PEERS_DIR = fileURLToPath(new URL('../../.bench-peers/', import.meta.url));
/** The last BullMQ major that runs on Node 20, with the ioredis line it is tested with. */
const PEER_PACKAGES = ['bullmq@6.7', 'ioredis@5.11'];

/** Imports a peer package, installing the peers first when they are missing. */
export async function importPeer<T>(name: string): Promise<T> {
  if (!existsSync(`${PEERS_DIR}node_modules/${name}/package.json`)) {
    process.stderr.write(`bench: installing ${PEER_PACKAGES.join(' ')} into .bench-peers/\n`);
    execFileSync('npm', ['install', '--prefix', PEERS_DIR, '--no-save', '--no-package-lock', ...PEER_PACKAGES], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const resolved = createRequire(`${PEERS_DIR}package.json`).resolve(name);
  return (await import(pathToFileURL(resolved).href)) as T;
}
