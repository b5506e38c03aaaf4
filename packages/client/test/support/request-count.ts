/** Requests a real server answered on `route` so far (any method and status), from its request histogram on /metrics. */
export async function requestsOn(serverUrl: string, route: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('docket_http_request_duration_seconds_count{') && line.includes(`route="${route}"`)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
