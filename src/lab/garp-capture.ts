// Gratuitous ARPs and unsolicited neighbour advertisements as the client sees them: tcpdump in
// the client namespace, timestamps from the kernel's capture time.
import { onLines } from './line-reader.js';
import type { LabProcesses } from './processes.js';

export interface Announcement {
  readonly time: number;
  /** The address announced. */
  readonly address: string;
  readonly senderMac: string;
}

/** Parses one `tcpdump -n -e -tt` line; undefined for anything but a GARP or an NA. Pure. */
export function parseAnnouncement(line: string): Announcement | undefined {
  const head = /^(\d+\.\d+) ([0-9a-f:]{17}) > /.exec(line);
  if (!head) return undefined;
  const time = Number(head[1]) * 1000;
  const senderMac = head[2]!;
  // tcpdump shows a target MAC in parentheses when the request carries one (keepalived's do).
  const request = /Request who-has (\S+)(?: \([^)]*\))? tell (\S+),/.exec(line);
  if (request && request[1] === request[2]) return { time, address: request[1]!, senderMac };
  const reply = /Reply (\S+) is-at /.exec(line);
  if (reply) return { time, address: reply[1]!, senderMac };
  const advert = /neighbor advertisement, tgt is (\S+?),/.exec(line);
  if (advert) return { time, address: advert[1]!, senderMac };
  return undefined;
}

export class GarpCapture {
  readonly announcements: Announcement[] = [];

  private constructor() {}

  /** Starts tcpdump on the client's interface; resolves once it is capturing. */
  static start(processes: LabProcesses, namespace: string, interfaceName: string): Promise<GarpCapture> {
    const capture = new GarpCapture();
    const tcpdump = processes.spawnIn(namespace, 'tcpdump', 'tcpdump', ['-i', interfaceName, '-n', '-e', '-tt', '-l', '--immediate-mode', 'arp or icmp6'], ['ignore', 'pipe', 'pipe']);
    onLines(tcpdump.child.stdout, (line) => {
      const announcement = parseAnnouncement(line);
      if (announcement) capture.announcements.push(announcement);
    });
    return new Promise((resolve, reject) => {
      onLines(tcpdump.child.stderr, (line) => {
        if (line.includes('listening on')) resolve(capture);
      });
      void tcpdump.exited.then((code) => reject(new Error(`tcpdump in ${namespace} exited (${code}) before capturing`)));
    });
  }

  /** The first announcement of `address` at or after `from`, by `senderMac` when given. */
  first(address: string, from: number, senderMac?: string): Announcement | undefined {
    return this.announcements.find((a) => a.time >= from && a.address === address && (senderMac === undefined || a.senderMac === senderMac));
  }
}
