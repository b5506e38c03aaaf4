/**
 * The fastify plugin that serves the dashboard: the page at `{basePath}/` (and a redirect from
 * `{basePath}` without the slash), its script and style under `{basePath}/assets/`. The page is
 * revalidated on every load (`no-cache` with an ETag); hashed assets are cached for a year.
 * The server passes this in from the composition root; it never imports it.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LazyBundle, type Asset } from './bundle.ts';
import { indexHtml, type PageSettings } from './index-html.ts';

export interface DashboardOptions {
  /** '' (the root) or a path such as `/docket`, without a trailing slash. */
  readonly basePath?: string;
  readonly readOnly?: boolean;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string): FastifyReply {
  void reply
    .header('etag', asset.etag)
    .header('cache-control', cacheControl)
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(asset.type).send(asset.body);
}

export function dashboard(options: DashboardOptions = {}): (app: FastifyInstance) => Promise<void> {
  const settings: PageSettings = { basePath: options.basePath ?? '', readOnly: options.readOnly === true };
  const bundle = new LazyBundle();
  let page: Asset | null = null;
  const pageAsset = async (): Promise<Asset> => {
    if (page !== null) return page;
    const body = Buffer.from(indexHtml(await bundle.get(), settings));
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    page = { name: 'index.html', type: 'text/html; charset=utf-8', body, etag };
    return page;
  };
  const base = settings.basePath;
  return (app) => {
    const hidden = { schema: { hide: true }, config: { alwaysOn: false, access: { scope: 'open' as const } } };
    app.get(`${base}/`, hidden, async (request, reply) => {
      const asset = await pageAsset();
      void reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; object-src 'none'");
      void reply.header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
      return send(request, reply, asset, 'no-cache');
    });
    if (base !== '') app.get(base, hidden, (_request, reply) => reply.redirect(`${base}/`, 308));
    app.get<{ Params: { name: string } }>(`${base}/assets/:name`, hidden, async (request, reply) => {
      const { script, style } = await bundle.get();
      const asset = [script, style].find((candidate) => candidate.name === request.params.name);
      if (asset === undefined) return reply.code(404).type('text/plain').send('not found');
      return send(request, reply, asset, IMMUTABLE);
    });
    return Promise.resolve();
  };
}
