/** The Prometheus scrape endpoint, over the app's own registry. */
import { Type } from '@sinclair/typebox';
import { defineRoute } from './route.ts';

const scrape = defineRoute({
  method: 'GET',
  url: '/metrics',
  body: 'none',
  access: { scope: 'metrics' },
  alwaysOn: true,
  schema: {
    operationId: 'metrics',
    summary: 'Prometheus metrics in the text exposition format',
    tags: ['operations'],
    produces: ['text/plain'],
    response: { 200: Type.String({ description: 'Prometheus text format 0.0.4' }) },
  },
  async handler(_request, reply, { metrics }) {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  },
});

export const metricsRoutes = [scrape];
