/**
 * The baseline of the single-enqueue case: a bare `node:http` server doing the same request
 * work as Docket's enqueue (read the body, parse the JSON, answer 201 with a JSON job) and
 * nothing else. Run as its own process; prints `listening <port>` on stdout.
 */
import { createServer } from 'node:http';

let seq = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let data: unknown;
    try {
      data = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: unknown }).data;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"INVALID_ARGUMENT","message":"body is not JSON","details":{}}}');
      return;
    }
    seq += 1;
    const body = JSON.stringify({ job: { id: String(seq), queue: 'bench', state: 'waiting', data }, created: true });
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
