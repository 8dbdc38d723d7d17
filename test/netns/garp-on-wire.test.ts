// Gratuitous ARP and unsolicited NA sent through our AF_PACKET socket, as tcpdump in the
// neighbouring namespace captures them (pcap read back with our reader), and as the neighbour's
// kernel takes them (its neighbour table learns the VIP at our MAC).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETH_P_ARP, ETH_P_IPV6 } from '../../src/sys/constants.js';
import { bytesToIpv4, bytesToIpv6 } from '../../src/sys/sockaddr.js';
import type { Socket } from '../../src/sys/socket.js';
import { buildGratuitousArp } from '../../src/vrrp/arp.js';
import { internetChecksum, ipv6PseudoHeaderSum } from '../../src/vrrp/checksum.js';
import { buildUnsolicitedNa } from '../../src/vrrp/ndisc.js';
import { openPacketSendSocket, requireInterface, sendFrame } from '../../src/vrrp/raw-sockets.js';
import { macFromText, macToText } from '../../src/vrrp/vmac.js';
import { readPcap } from '../support/pcap.js';
import { createVethLab, inNamespaceRun, startCapture, withinNamespace, type VethLab } from '../support/netns-raw.js';

describe('GARP and unsolicited NA on the wire', () => {
  let lab: VethLab;
  let socket: Socket;
  let ifindex: number;
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ktsvw-garp-'));
    lab = createVethLab('g', 78);
    socket = withinNamespace(lab.a.namespace, () => openPacketSendSocket());
    ifindex = withinNamespace(lab.a.namespace, () => requireInterface(lab.a.interfaceName));
  });

  afterAll(() => {
    socket?.close();
    lab?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a gratuitous ARP arrives with sender = target = VIP, our MAC as sender, broadcast destination', async () => {
    const file = join(scratch, 'arp.pcap');
    const capture = await startCapture(lab.b.namespace, lab.b.interfaceName, file, 'arp', 1);
    const senderMac = macFromText(lab.a.mac)!;
    expect(sendFrame(socket, ifindex, buildGratuitousArp({ senderMac, address: '10.78.0.100' }))).toBe(true);
    await Promise.race([capture.exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    await capture.stop();

    const frames = readPcap(file).records.map((record) => record.data);
    expect(frames).toHaveLength(1);
    const frame = frames[0]!;
    expect(macToText(frame.subarray(0, 6))).toBe('ff:ff:ff:ff:ff:ff');
    expect(macToText(frame.subarray(6, 12))).toBe(lab.a.mac);
    expect(frame.readUInt16BE(12)).toBe(ETH_P_ARP);
    expect(frame.readUInt16BE(20)).toBe(1); // request
    expect(macToText(frame.subarray(22, 28))).toBe(lab.a.mac);
    expect(bytesToIpv4(frame, 28)).toBe('10.78.0.100');
    expect(macToText(frame.subarray(32, 38))).toBe('ff:ff:ff:ff:ff:ff');
    expect(bytesToIpv4(frame, 38)).toBe('10.78.0.100');

    // tcpdump's own reading agrees.
    expect(inNamespaceRun(lab.b.namespace, 'tcpdump', '-r', file, '-e', '-n')).toContain(`${lab.a.mac} > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.78.0.100 (ff:ff:ff:ff:ff:ff) tell 10.78.0.100`);
  });

  it('a gratuitous ARP moves an existing ARP entry of the neighbour to our MAC', async () => {
    inNamespaceRun(lab.b.namespace, 'ip', 'neigh', 'replace', '10.78.0.100', 'lladdr', '02:00:00:00:00:99', 'dev', lab.b.interfaceName, 'nud', 'stale');
    sendFrame(socket, ifindex, buildGratuitousArp({ senderMac: macFromText(lab.a.mac)!, address: '10.78.0.100' }));
    let entry = '';
    for (let i = 0; i < 50 && !entry.includes(lab.a.mac); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      entry = inNamespaceRun(lab.b.namespace, 'ip', 'neigh', 'show', '10.78.0.100', 'dev', lab.b.interfaceName);
    }
    expect(entry).toContain(`lladdr ${lab.a.mac}`);
  });

  it('an unsolicited NA arrives to ff02::1 with hop limit 255, the target, Override and our link-layer address', async () => {
    const file = join(scratch, 'na.pcap');
    const capture = await startCapture(lab.b.namespace, lab.b.interfaceName, file, 'icmp6 and ip6[40] == 136', 1);
    const senderMac = macFromText(lab.a.mac)!;
    expect(sendFrame(socket, ifindex, buildUnsolicitedNa({ senderMac, sourceAddress: lab.a.linkLocal, targetAddress: 'fd00:78::100' }))).toBe(true);
    await Promise.race([capture.exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    await capture.stop();

    const frames = readPcap(file).records.map((record) => record.data);
    expect(frames).toHaveLength(1);
    const frame = frames[0]!;
    expect(macToText(frame.subarray(0, 6))).toBe('33:33:00:00:00:01');
    expect(macToText(frame.subarray(6, 12))).toBe(lab.a.mac);
    expect(frame.readUInt16BE(12)).toBe(ETH_P_IPV6);
    expect(frame[21]).toBe(255);
    expect(bytesToIpv6(frame, 22)).toBe(lab.a.linkLocal);
    expect(bytesToIpv6(frame, 38)).toBe('ff02::1');
    const icmp = frame.subarray(54);
    expect(icmp[0]).toBe(136);
    expect(icmp.readUInt32BE(4) & 0xe0000000).toBe(0x20000000); // Override only
    expect(bytesToIpv6(icmp, 8)).toBe('fd00:78::100');
    expect(icmp[24]).toBe(2); // target link-layer address option
    expect(macToText(icmp.subarray(26, 32))).toBe(lab.a.mac);
    expect(internetChecksum(icmp, ipv6PseudoHeaderSum(frame.subarray(22, 38), frame.subarray(38, 54), 58, icmp.length))).toBe(0);

    const text = inNamespaceRun(lab.b.namespace, 'tcpdump', '-r', file, '-e', '-n', '-v');
    expect(text).toContain('neighbor advertisement, length 32, tgt is fd00:78::100, Flags [override]');
    expect(text).toContain(`destination link-address option (2), length 8 (1): ${lab.a.mac}`);
  });
});
