/**
 * The OpenAPI document is the contract: docs/openapi.json is its reviewed snapshot, and this
 * test fails on any unreviewed difference. Run with UPDATE_SNAPSHOT=1 to rewrite the snapshot,
 * then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';

const SNAPSHOT = new URL('../../../docs/openapi.json', import.meta.url);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
  readonly components: { readonly schemas: Record<string, unknown> };
}

describe('openapi', () => {
  test('/openapi.json matches the committed snapshot docs/openapi.json', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const generated = `${JSON.stringify(response.json(), null, 2)}\n`;
    if (process.env['UPDATE_SNAPSHOT'] === '1') writeFileSync(SNAPSHOT, generated);
    const committed = existsSync(SNAPSHOT) ? readFileSync(SNAPSHOT, 'utf8') : '(missing)';
    expect(generated, 'docs/openapi.json is stale: rerun with UPDATE_SNAPSHOT=1 and review the diff').toBe(committed);
  });

  test('every operation has an id and documents its error answers with the Error schema', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      'Error',
      'Job',
      'QueueInfo',
      'QueueStats',
      'Schedule',
      'Token',
      'Worker',
    ]);
    const ids = new Set<string>();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toBeDefined();
        ids.add(operation.operationId ?? '');
        if (path.startsWith('/v1/')) expect(Object.keys(operation.responses), `${method} ${path}`).toContain('400');
      }
    }
    expect(ids.size).toBe(Object.values(doc.paths).flatMap((ops) => Object.keys(ops)).length);
  });

  test('the docs page answers at /docs', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const assets = await h.app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' });
    expect(assets.statusCode).toBe(200);
  });
});
