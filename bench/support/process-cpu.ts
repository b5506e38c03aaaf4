/** CPU time of a process read from /proc, for benchmarks that charge a server's work to its requests. */
import { readFileSync } from 'node:fs';

/** CPU seconds the process has used so far (user + system, all threads; clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
