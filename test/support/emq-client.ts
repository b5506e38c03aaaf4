/**
 * emq requests over app.inject(), as emq clients send them (POST with a JSON Content-Type).
 */
import type { LightMyRequestResponse } from 'fastify';
import type { DocketApp } from '@docket/server';

export interface EmqTaskShape {
  readonly id: string;
  readonly content: unknown;
}

export function emqPost(
  app: DocketApp,
  url: string,
  body: unknown,
  contentType: string | null = 'application/json',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: contentType === null ? {} : { 'content-type': contentType },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The tasks of a wait answer (null where a position is empty). */
export async function emqWait(
  app: DocketApp,
  queues: readonly string[],
  timeout = 0,
): Promise<Array<EmqTaskShape | null>> {
  const response = await emqPost(app, '/wait/', { queues, timeout });
  if (response.statusCode !== 200) throw new Error(`wait answered ${response.statusCode}: ${response.body}`);
  return response.json<Array<EmqTaskShape | null>>();
}

export async function emqEnqueue(app: DocketApp, queue: string, body: unknown = {}): Promise<void> {
  const response = await emqPost(app, `/enqueue/${queue}`, body);
  if (response.statusCode !== 200) throw new Error(`enqueue answered ${response.statusCode}: ${response.body}`);
}
