/**
 * A second reference for the single-enqueue case: fastify (Docket's HTTP framework) with one
 * route doing the bare server's work (parse the JSON body, answer 201 with a small JSON job),
 * no schemas, hooks, logging, engine or storage. The gap between it and bare node:http is the
 * framework's; the gap between it and Docket is Docket's. Run as its own process; prints
 * `listening <port>` on stdout.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
let seq = 0;

app.post('/v1/queues/:queue/jobs', async (request, reply) => {
  seq += 1;
  const data = (request.body as { data?: unknown } | null)?.data;
  reply.code(201);
  return { job: { id: String(seq), queue: 'bench', state: 'waiting', data }, created: true };
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${new URL(address).port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
