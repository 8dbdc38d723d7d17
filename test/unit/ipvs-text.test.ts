// ipvsadm-compatible text against output captured from ipvsadm 1.31 on a real IPVS kernel (the
// vm tier checks the same against live ipvsadm): the -Ln and -Sn layouts, counter shortening,
// port names and the connection list.
import { describe, expect, it } from 'vitest';
import { formatConnections, parseConnectionTable } from '../../src/ipvs/text/connections.js';
import { formatList, formatTimeouts } from '../../src/ipvs/text/list.js';
import { serviceNamesFromText } from '../../src/ipvs/text/names.js';
import { counterColumn } from '../../src/ipvs/text/numbers.js';
import { parseRules } from '../../src/ipvs/text/rules.js';
import { formatSave } from '../../src/ipvs/text/save.js';
import type { IpvsStats, ServiceEntry } from '../../src/ipvs/types.js';

const ZERO: IpvsStats = {
  connections: 0n, inPackets: 0n, outPackets: 0n, inBytes: 0n, outBytes: 0n, connectionsPerSecond: 0n,
  inPacketsPerSecond: 0n, outPacketsPerSecond: 0n, inBytesPerSecond: 0n, outBytesPerSecond: 0n,
};

/** The table a restore file describes, as a dump of an idle kernel would return it. */
function tableFrom(text: string): ServiceEntry[] {
  const { rules, errors } = parseRules(text);
  expect(errors).toEqual([]);
  const entries: { service: ServiceEntry['service']; destinations: ServiceEntry['destinations'][number][] }[] = [];
  for (const { rule } of rules) {
    if (rule.kind === 'add-service') entries.push({ service: { ...rule.service, stats: ZERO }, destinations: [] });
    if (rule.kind === 'add-destination') {
      entries.at(-1)!.destinations.push({ ...rule.destination, activeConnections: 0, inactiveConnections: 0, persistentConnections: 0, stats: ZERO });
    }
  }
  return entries.reverse(); // the kernel's order is not ipvsadm's: the formatters sort
}

// Captured from `ipvsadm -Sn` and `ipvsadm -Ln` (version 1.31, kernel 6.1).
const SAVED = `-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 3
-a -t 10.0.0.1:80 -r 10.0.0.3:8080 -m -w 0
-A -t 10.0.0.12:0 -s rr -p 360
-A -t 10.0.0.12:21 -s dh
-A -t 10.0.0.12:28 -s sh -b sh-port
-A -t 10.0.0.12:29 -s mh -b mh-fallback
-A -u 10.0.0.1:53 -s sh -p 300 -M 255.255.255.0 -b sh-fallback,sh-port
-a -u 10.0.0.1:53 -r 10.0.0.5:53 -g -w 1
-a -u 10.0.0.1:53 -r 10.0.0.6:53 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
-a -u 10.0.0.1:53 -r 10.0.0.7:53 -i -w 1 --tun-type gre --tun-csum
-a -u 10.0.0.1:53 -r 10.0.0.8:53 -i -w 1 --tun-type ipip
-A -u 10.0.0.11:5060 -s wrr -p 30 --pe sip
-A -t [2001:db8::1]:443 -s lblcr -p 60 -M 64
-a -t [2001:db8::1]:443 -r [2001:db8::5]:443 -m -w 2
-A -f 5 -s mh -p 360 -b mh-port
-a -f 5 -r 10.0.0.9:0 -g -w 1
-A -f 6 -6 -s wlc
-a -f 6 -6 -r [2001:db8::2]:0 -g -w 1
`;

const LISTED = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.0.0.1:80 rr
  -> 10.0.0.2:80                  Masq    3      0          0         
  -> 10.0.0.3:8080                Masq    0      0          0         
TCP  10.0.0.12:0 rr persistent 360
TCP  10.0.0.12:21 dh
TCP  10.0.0.12:28 sh (sh-port)
TCP  10.0.0.12:29 mh (mh-fallback)
UDP  10.0.0.1:53 sh (sh-fallback,sh-port) persistent 300 mask 255.255.255.0
  -> 10.0.0.5:53                  Route   1      0          0         
  -> 10.0.0.6:53                  Tunnel  1      0          0         
  -> 10.0.0.7:53                  Tunnel  1      0          0         
  -> 10.0.0.8:53                  Tunnel  1      0          0         
UDP  10.0.0.11:5060 wrr persistent 30 pe sip
TCP  [2001:db8::1]:443 lblcr persistent 60 mask 64
  -> [2001:db8::5]:443            Masq    2      0          0         
FWM  5 mh (mh-port) persistent 360
  -> 10.0.0.9:0                   Route   1      0          0         
FWM  6 IPv6 wlc
  -> [2001:db8::2]:0              Route   1      0          0         
`;

const INFO = { version: '1.2.1', connectionTableSize: 4096 };

describe('ipvsadm text', () => {
  it('lists a table exactly as ipvsadm -Ln does, in its order', () => {
    expect(formatList(INFO, tableFrom(SAVED))).toBe(LISTED);
  });

  it('saves a table exactly as ipvsadm -Sn does', () => {
    expect(formatSave(tableFrom(SAVED))).toBe(SAVED);
  });

  it("names flag-N for schedulers other than sh and mh, and leaves sh's flag 3 unnamed as ipvsadm does", () => {
    // Captured from ipvsadm -Ln / -Sn after `-s rr -b flag-1,flag-3` and `-s sh -b flag-3`.
    const table = tableFrom('-A -t 10.0.0.1:80 -s rr -b flag-1,flag-3\n-A -t 10.0.0.3:80 -s sh -b flag-3\n');
    expect(formatList(INFO, table).split('\n').slice(3, 5)).toEqual(['TCP  10.0.0.1:80 rr (flag-1,flag-3)', 'TCP  10.0.0.3:80 sh ()']);
    expect(formatSave(table)).toBe('-A -t 10.0.0.1:80 -s rr -b flag-1,flag-3\n-A -t 10.0.0.3:80 -s sh -b \n');
  });

  it('lays out the counter view with nine-column numbers, K beyond eight digits, exact on request', () => {
    const table = tableFrom('-A -u 10.1.0.1:9 -s rr\n-a -u 10.1.0.1:9 -r 10.1.0.2:9 -g -w 1\n');
    const busy = { ...ZERO, connections: 1n, inPackets: 75000n, inBytes: 107100000n };
    const withTraffic = table.map(({ service, destinations }) => ({ service: { ...service, stats: busy }, destinations: destinations.map((d) => ({ ...d, stats: busy })) }));
    const heading = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n';
    expect(formatList(INFO, withTraffic, { view: 'stats' })).toBe(`${heading}UDP  10.1.0.1:9                          1    75000        0  107100K        0\n  -> 10.1.0.2:9                          1    75000        0  107100K        0\n`);
    expect(formatList(INFO, withTraffic, { view: 'stats', exact: true })).toContain('        0 107100000        0\n');
  });

  it('shortens counters to K, M and G and keeps eight digits exact', () => {
    expect(counterColumn(99999999n, false)).toBe(' 99999999');
    expect(counterColumn(100000000n, false)).toBe('  100000K');
    expect(counterColumn(123456789012n, false)).toBe('  123456M');
    expect(counterColumn(123456789012n, true)).toBe(' 123456789012');
  });

  it('prints thresholds and persistent-connection views with their own columns', () => {
    const table = tableFrom('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.3:8080 -m -w 0 -x 100 -y 10\n');
    expect(formatList(INFO, table, { view: 'thresholds' }).split('\n').slice(1)).toEqual([
      'Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.1:80 rr',
      '  -> 10.0.0.3:8080                100        10         0          0         ',
      '',
    ]);
    expect(formatList(INFO, table, { view: 'persistent-conn' })).toContain('  -> 10.0.0.3:8080                0         0           0          0         \n');
    expect(formatTimeouts({ tcp: 900, tcpFin: 120, udp: 300 })).toBe('Timeout (tcp tcpfin udp): 900 120 300\n');
  });

  it('names ports from services(5) text without -n and resolves names in restore lines', () => {
    const names = serviceNamesFromText('http\t\t80/tcp\t\twww\t# WorldWideWeb HTTP\ndomain\t\t53/udp\n');
    const table = tableFrom('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 1\n');
    expect(formatSave(table, names.namePort)).toBe('-A -t 10.0.0.1:http -s rr\n-a -t 10.0.0.1:http -r 10.0.0.2:8080 -m -w 1\n');
    expect(names.resolvePort('www', 'tcp')).toBe(80);
    expect(names.resolvePort('domain', 'tcp')).toBeNull();
    expect(parseRules('-A -u 10.0.0.1:domain -s rr', names.resolvePort).rules[0]?.rule).toMatchObject({ service: { port: 53 } });
  });

  it('lists connections from /proc/net/ip_vs_conn as ipvsadm -Lnc does', () => {
    const proc = 'Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\nUDP 0A010001 DF03 0A010001 0009 0A010002 0009 UDP             296\ngarbage line\n';
    expect(formatConnections(parseConnectionTable(proc))).toBe(
      'IPVS connection entries\npro expire state       source             virtual            destination\n'
      + 'UDP 04:56  UDP         10.1.0.1:57091     10.1.0.1:9         10.1.0.2:9\n',
    );
  });
});
