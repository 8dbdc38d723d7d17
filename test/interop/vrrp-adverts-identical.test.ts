// Our adverts are byte-identical to keepalived 2.2.7's for the same config, except the IPv4
// identification (and so the header checksum): each daemon runs alone on the same director with the
// same keepalived.conf, and tcpdump on the client captures its adverts off the bridge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture } from '../support/netns-raw.js';
import { parsePcap } from '../support/pcap.js';
import {
  createVrrpLab, scratchDir, startKeepalived, startOurs, vrrpConfig, type Director, type InstanceText, type VrrpLab,
} from '../support/vrrp-lab.js';

const ETHERNET = 14;

interface Variant {
  readonly name: string;
  readonly instance: (lab: VrrpLab) => InstanceText;
}

const VARIANTS: readonly Variant[] = [
  { name: 'v2 multicast PASS', instance: () => ({ vrid: 91, priority: 150, vip: '10.65.0.91/24', version: 2, advertInt: 1, password: 'lab91' }) },
  { name: 'v3 multicast 0.1 s, two VIPs', instance: () => ({ vrid: 92, priority: 200, vip: '10.65.0.92/24', version: 3, advertInt: 0.1, extra: ['virtual_ipaddress {', '  10.65.0.192/24', '}'] }) },
  { name: 'v3 unicast', instance: (lab) => ({ vrid: 93, priority: 120, vip: '10.65.0.93/24', version: 3, advertInt: 0.1, unicast: { src: lab.directors[0]!.ipv4, peers: [lab.client.ipv4] } }) },
  { name: 'v3 IPv6 multicast', instance: () => ({ vrid: 94, priority: 150, vip: 'fd00:65::94/64', version: 3, advertInt: 0.1 }) },
];

/** Frames with the IPv4 id and header checksum zeroed (the only bytes allowed to differ). */
function comparable(frame: Buffer): string {
  const copy = Buffer.from(frame);
  if (copy.readUInt16BE(12) === 0x0800) {
    copy.fill(0, ETHERNET + 4, ETHERNET + 6);
    copy.fill(0, ETHERNET + 10, ETHERNET + 12);
  }
  return copy.toString('hex');
}

describe('adverts on the wire, ours against keepalived', () => {
  let lab: VrrpLab;
  const running: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('id', 65, 1);
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  /** Four steady adverts, then every advert from the SIGTERM until the daemon has exited. */
  async function capture(start: (scratch: string) => Director, tag: string): Promise<{ steady: Buffer[]; stopping: Buffer[] }> {
    const scratch = scratchDir(tag);
    const file = join(scratch, 'adverts.pcap');
    const stopFile = join(scratch, 'stop.pcap');
    const tcpdump = await startCapture(lab.client.namespace, 'eth0', file, 'ip proto 112 or ip6 proto 112', 4);
    const daemon = start(scratch);
    running.push(daemon);
    try {
      await Promise.race([tcpdump.exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`no adverts from ${tag}:\n${daemon.log()}`)), 20_000))]);
    } finally {
      await tcpdump.stop();
    }
    const stopCapture = await startCapture(lab.client.namespace, 'eth0', stopFile, 'ip proto 112 or ip6 proto 112', 10_000);
    await daemon.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopCapture.stop();
    const records = (path: string): Buffer[] => parsePcap(readFileSync(path)).records.map((r) => r.data);
    return { steady: records(file), stopping: records(stopFile) };
  }

  /** The adverts from the first priority-0 one on (the VRRP priority byte: 2 bytes into the VRRP header). */
  function fromFarewell(frames: readonly Buffer[]): Buffer[] {
    const priority = (frame: Buffer): number => {
      const ip = frame.readUInt16BE(12) === 0x0800 ? ETHERNET + (frame[ETHERNET]! & 0x0f) * 4 : ETHERNET + 40;
      return frame[ip + 2]!;
    };
    const first = frames.findIndex((frame) => priority(frame) === 0);
    return first < 0 ? [] : frames.slice(first);
  }

  for (const variant of VARIANTS) {
    it(`${variant.name}: identical except the IP id`, async () => {
      const config = vrrpConfig([variant.instance(lab)]);
      const theirs = await capture((scratch) => startKeepalived(lab.directors[0]!, config, scratch), 'ka');
      const ours = await capture((scratch) => startOurs(lab.directors[0]!, config, scratch), 'ours');
      expect(theirs.steady.length).toBe(4);
      expect(ours.steady.length).toBe(4);
      // Steady-state adverts (the last ones captured) of both.
      expect(comparable(ours.steady[3]!)).toBe(comparable(theirs.steady[3]!));
      expect(comparable(ours.steady[2]!)).toBe(comparable(theirs.steady[2]!));
      // On SIGTERM: the same priority-0 advert(s), as many, and nothing after them (ours leaves
      // from the signal handler, native/farewell.c, and the stop path must not repeat it).
      const theirFarewell = fromFarewell(theirs.stopping);
      const ourFarewell = fromFarewell(ours.stopping);
      expect(theirFarewell.length).toBeGreaterThan(0);
      expect(ourFarewell.map(comparable)).toEqual(theirFarewell.map(comparable));
    });
  }
});
