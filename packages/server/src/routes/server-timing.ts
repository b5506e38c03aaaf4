/**
 * The `Server-Timing` header of the reads that count a queue's jobs (`GET /v1/queues/{queue}`,
 * `GET /v1/stats/queues`): `count;dur=<ms>`, how long the counting took in the server. Counting
 * reads each state's index, so it grows with the backlog; the dashboard spaces such reads by
 * this figure (its poll budget), which, unlike the time the browser saw, leaves out the network
 * and the browser's own scheduling.
 */
import type { FastifyReply } from 'fastify';

/** Runs `count` and sets the header to the time it took. */
export async function timeCount<T>(reply: FastifyReply, count: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await count();
  void reply.header('server-timing', `count;dur=${(performance.now() - started).toFixed(2)}`);
  return result;
}
