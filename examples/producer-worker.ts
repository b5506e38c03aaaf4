import { createClient, createWorker } from '@docket/client';

type Email = { to: string; subject: string };
const client = createClient({ url: process.env.DOCKET_URL ?? 'http://127.0.0.1:8080' });

const worker = createWorker<Email, { sent: boolean }>({
  client,
  queues: ['emails'],
  concurrency: 10,
  handler(job, { signal }) {
    console.log(`sending "${job.data.subject}" to ${job.data.to}`);
    return { sent: !signal.aborted };
  },
});

const emails = client.queue<Email, { sent: boolean }>('emails');
const { result } = await emails.enqueueAndWait({ to: 'a@example.com', subject: 'hi' }, { waitMs: 10_000 });
console.log('result:', result);
await worker.close();
