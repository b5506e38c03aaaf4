/**
 * Waiting for long-polls to park on a running server: polls its `docket_lease_waiters` gauge
 * (`/metrics`, open while auth is off, else with `headers`) until it reads `count`, failing after
 * `timeoutMs`. Tests that need a long-poll parked before they act wait on this, not on a pause.
 */
export async function untilLeaseWaiters(
  url: string,
  count: number,
  options: { readonly headers?: Record<string, string>; readonly timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let seen: string | undefined;
  for (;;) {
    const scrape = await (await fetch(`${url}/metrics`, { headers: options.headers ?? {} })).text();
    seen = /^docket_lease_waiters (\d+)$/m.exec(scrape)?.[1];
    if (seen === String(count)) return;
    if (Date.now() > deadline) throw new Error(`docket_lease_waiters read ${seen ?? 'nothing'}, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
