// Client traffic to the VIP: ping every 10 ms from the client namespace, keeping the kernel
// timestamp of every reply (ping -D).
import { onLines } from './line-reader.js';
import type { LabProcesses } from './processes.js';

/** The reply time of one `ping -D` line in ms since the epoch; undefined for other lines. Pure. */
export function parsePingReply(line: string): number | undefined {
  const match = /^\[(\d+\.\d+)\] \d+ bytes from /.exec(line);
  return match ? Number(match[1]) * 1000 : undefined;
}

export const PING_INTERVAL_MS = 10;

export class PingProbe {
  readonly replies: number[] = [];

  constructor(processes: LabProcesses, namespace: string, target: string) {
    const ping = processes.spawnIn(namespace, 'ping', 'ping', ['-D', '-n', '-i', String(PING_INTERVAL_MS / 1000), '-W', '1', target], ['ignore', 'pipe', 'ignore']);
    onLines(ping.child.stdout, (line) => {
      const time = parsePingReply(line);
      if (time !== undefined) this.replies.push(time);
    });
  }
}
