/** Resident memory of a process from Linux `/proc/<pid>/status`. */
import { readFileSync } from 'node:fs';

/** Current (`VmRSS`) and peak (`VmHWM`) resident set size, in bytes. */
export interface ProcessMemory {
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

function field(status: string, name: string, pid: number): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!m) throw new Error(`/proc/${pid}/status has no ${name} (not Linux, or the process exited)`);
  return Number(m[1]) * 1024;
}

/** Reads `VmRSS` and `VmHWM` of `pid`; throws when the process is gone. */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssBytes: field(status, 'VmRSS', pid), peakRssBytes: field(status, 'VmHWM', pid) };
}
