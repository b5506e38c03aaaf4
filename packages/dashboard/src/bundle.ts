/**
 * Builds the dashboard's browser bundle with esbuild, in memory, the first time it is asked for,
 * and keeps it for the life of the process: nothing is written to disk and no bundle is committed.
 *
 * Invariants: one build per process (concurrent first requests share it; a failed build is
 * retried by the next request); asset names carry a content hash, so they can be cached forever.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  readonly name: string;
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
}

export interface Bundle {
  readonly script: Asset;
  readonly style: Asset;
}

const ENTRY = fileURLToPath(new URL('../web/main.ts', import.meta.url));

function asset(stem: string, ext: string, type: string, text: string): Asset {
  const body = Buffer.from(text);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { name: `${stem}.${hash}.${ext}`, type, body, etag: `"${hash}"` };
}

export async function buildBundle(): Promise<Bundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (js === undefined || css === undefined) throw new Error('the dashboard bundle is missing its script or style');
  return {
    script: asset('app', 'js', 'text/javascript; charset=utf-8', js.text),
    style: asset('app', 'css', 'text/css; charset=utf-8', css.text),
  };
}

/** The bundle, built once on first use. */
export class LazyBundle {
  #pending: Promise<Bundle> | null = null;

  get(): Promise<Bundle> {
    if (this.#pending === null) {
      const pending = buildBundle();
      this.#pending = pending;
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = null;
      });
    }
    return this.#pending;
  }
}
