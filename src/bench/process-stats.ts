// CPU time and memory of a process, from /proc (Linux): what a worker or the API costs.
import fs from 'node:fs';

export interface ProcessStats {
  cpuSeconds: number;
  /** The most resident memory the process has had (VmHWM). */
  peakRssMb: number;
  /** Its resident memory now (VmRSS). */
  rssMb: number;
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export function processStats(pid: number): ProcessStats {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / TICKS_PER_SECOND, peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
}

/**
 * CPU seconds of a process and all its descendants, the exited ones included (a parent's reaped
 * children are in its cutime and cstime): PostgreSQL's postmaster and its backends, for instance.
 */
export function processTreeCpuSeconds(pid: number): number {
  const children = new Map<number, number[]>();
  const times = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      times.set(Number(entry), fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0));
    } catch {
      // Gone between the listing and the read.
    }
  }
  let ticks = 0;
  for (const queue = [pid]; queue.length > 0; ) {
    const next = queue.pop()!;
    ticks += times.get(next) ?? 0;
    queue.push(...(children.get(next) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}
