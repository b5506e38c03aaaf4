/**
 * The OpenAPI 3.1 document, generated from the route schemas by @fastify/swagger and served at
 * /openapi.json (the contract; docs/openapi.json is its reviewed snapshot), with a browsable
 * page at /docs. Shared schemas (Job, Error, …) become components by their `$id`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

const DESCRIPTION =
  'Docket, a durable job queue. Errors answer `{error: {code, message, details}}` with codes from one ' +
  'catalog (docs/errors.md). Queue names containing `/` are percent-encoded (`%2F`) in paths.';

/** The contract and its page are open: they describe the API, they do not use it. */
function isDocumentation(url: string): boolean {
  return url === '/openapi.json' || url === '/docs' || url.startsWith('/docs/');
}

export function registerOpenApi(app: FastifyInstance, version: string): void {
  app.addHook('onRoute', (route) => {
    if (isDocumentation(route.url)) route.config = { ...route.config, access: { scope: 'open' } };
  });
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Docket HTTP API', version, description: DESCRIPTION },
      tags: [
        { name: 'jobs', description: 'enqueue, read, cancel and delete jobs' },
        { name: 'consumers', description: 'lease jobs, then ack, nack or extend them' },
        { name: 'queues', description: 'queue config, counts and administration' },
        { name: 'workers', description: 'the worker registry' },
        { name: 'tokens', description: 'access tokens and their grants (docs/security.md)' },
        { name: 'operations', description: 'health and metrics' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an access token `dkt_…`, when auth is on' },
        },
      },
      security: [{ bearer: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`,
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true }, config: { alwaysOn: true } }, () => app.swagger());
}
