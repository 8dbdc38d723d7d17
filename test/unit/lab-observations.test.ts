// The lab's pure parsers and arithmetic: tcpdump and ping lines, daemon logs, gaps and medians.
import { describe, expect, it } from 'vitest';
import { stateChanges } from '../../src/lab/director.js';
import { parseAnnouncement } from '../../src/lab/garp-capture.js';
import { firstAtOrAfter, longestGap, median } from '../../src/lab/measure.js';
import { parsePingReply } from '../../src/lab/ping-probe.js';

describe('parseAnnouncement', () => {
  it('reads a gratuitous ARP request as keepalived sends it (target MAC shown in parentheses)', () => {
    const line = '1795244817.581431 1e:19:f2:e7:e2:84 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 58: Request who-has 192.0.2.100 (ff:ff:ff:ff:ff:ff) tell 192.0.2.100, length 44';
    expect(parseAnnouncement(line)).toEqual({ time: 1795244817581.431, address: '192.0.2.100', senderMac: '1e:19:f2:e7:e2:84' });
  });

  it('reads a gratuitous ARP request without a target MAC and a gratuitous reply', () => {
    expect(parseAnnouncement('1.5 02:6c:00:01:01:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.100 tell 10.0.0.100, length 28')?.address).toBe('10.0.0.100');
    expect(parseAnnouncement('1.5 02:6c:00:01:01:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Reply 10.0.0.100 is-at 02:6c:00:01:01:01, length 28')?.address).toBe('10.0.0.100');
  });

  it('reads an unsolicited neighbour advertisement', () => {
    const line = '2.25 02:6c:00:01:02:01 > 33:33:00:00:00:01, ethertype IPv6 (0x86dd), length 86: fe80::6c:ff:fe01:201 > ff02::1: ICMP6, neighbor advertisement, tgt is fd00:0:0:1::100, length 32';
    expect(parseAnnouncement(line)).toEqual({ time: 2250, address: 'fd00:0:0:1::100', senderMac: '02:6c:00:01:02:01' });
  });

  it('ignores ordinary ARP requests and neighbour solicitations', () => {
    expect(parseAnnouncement('1.0 02:6c:00:03:01:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 192.0.2.100 tell 192.0.2.50, length 28')).toBeUndefined();
    expect(parseAnnouncement('1.0 1e:19:f2:e7:e2:84 > 33:33:ff:e7:e2:84, ethertype IPv6 (0x86dd), length 86: :: > ff02::1:ffe7:e284: ICMP6, neighbor solicitation, who has fe80::1, length 32')).toBeUndefined();
    expect(parseAnnouncement('tcpdump: listening on eth0')).toBeUndefined();
  });
});

describe('parsePingReply', () => {
  it('takes the -D timestamp of a reply line and ignores everything else', () => {
    expect(parsePingReply('[1795244817.123456] 64 bytes from 192.0.2.100: icmp_seq=3 ttl=64 time=0.051 ms')).toBeCloseTo(1795244817123.456, 3);
    expect(parsePingReply('[1795244817.123456] From 192.0.2.50 icmp_seq=4 Destination Host Unreachable')).toBeUndefined();
    expect(parsePingReply('PING 192.0.2.100 (192.0.2.100) 56(84) bytes of data.')).toBeUndefined();
  });
});

describe('stateChanges', () => {
  it("counts keepalived's Entering ... STATE lines in order", () => {
    const log = [
      'Sat Nov 21 07:06:27 2026: (VI_WEB) Entering BACKUP STATE (init)',
      'Sat Nov 21 07:06:27 2026: Sending gratuitous ARP on eth0 for 192.0.2.100',
      'Sat Nov 21 07:06:28 2026: (VI_WEB) Entering MASTER STATE',
      'Sat Nov 21 07:06:29 2026: (VI_WEB) Entering FAULT STATE',
    ].join('\n');
    expect(stateChanges(log)).toEqual(['BACKUP', 'MASTER', 'FAULT']);
    expect(stateChanges('Sending gratuitous ARP')).toEqual([]);
  });
});

describe('longestGap', () => {
  const every10 = (from: number, to: number) => Array.from({ length: (to - from) / 10 + 1 }, (_, i) => from + i * 10);

  it('is the reply interval when nothing was lost', () => {
    expect(longestGap(every10(0, 1000), 500, 800)).toBe(10);
  });

  it('spans from the last reply before the window to the first one after an outage', () => {
    const replies = [...every10(0, 500), ...every10(900, 1200)];
    expect(longestGap(replies, 505, 1200)).toBe(400);
  });

  it('runs to the end of the window when replies never come back', () => {
    expect(longestGap(every10(0, 500), 505, 2000)).toBe(1500);
  });
});

describe('median and firstAtOrAfter', () => {
  it('takes the lower middle of the defined values', () => {
    expect(median([3, undefined, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([undefined])).toBeUndefined();
  });

  it('finds the first time at or after a point', () => {
    expect(firstAtOrAfter([1, 5, 9], 5)).toBe(5);
    expect(firstAtOrAfter([1, 5, 9], 10)).toBeUndefined();
  });
});
