// The matrix of IPVS tables the vm tier round-trips through our client and ipvsadm. Each table
// is written as `ipvsadm -Sn` prints it (sorted, canonical spelling); destination lines may add
// thresholds (`-x`/`-y`), which ipvsadm -S does not print, so `savedText` drops them.

export interface MatrixTable {
  readonly name: string;
  readonly lines: readonly string[];
}

const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh'];

function schedulerTables(): MatrixTable[] {
  return SCHEDULERS.map((scheduler, index) => ({
    name: `scheduler ${scheduler}`,
    lines: [
      `-A -t 10.0.${index}.1:80 -s ${scheduler}`,
      `-a -t 10.0.${index}.1:80 -r 10.0.${index}.2:80 -m -w 1`,
      `-a -t 10.0.${index}.1:80 -r 10.0.${index}.3:8080 -m -w 5`,
    ],
  }));
}

const SCHEDULER_FLAG_TABLES: MatrixTable[] = [
  ['sh', 'sh-fallback'], ['sh', 'sh-port'], ['sh', 'sh-fallback,sh-port'],
  ['mh', 'mh-fallback'], ['mh', 'mh-port'], ['mh', 'mh-fallback,mh-port'],
].map(([scheduler, flags], index) => ({
  name: `${scheduler} flags ${flags}`,
  lines: [`-A -u 10.1.${index}.1:53 -s ${scheduler} -b ${flags}`, `-a -u 10.1.${index}.1:53 -r 10.1.${index}.9:53 -g -w 2`],
}));

const FORWARDING_TABLES: MatrixTable[] = [
  ['masq', '-m -w 1'],
  ['route', '-g -w 1'],
  ['tunnel ipip', '-i -w 1 --tun-type ipip'],
  ['tunnel gue nocsum', '-i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum'],
  ['tunnel gue csum', '-i -w 1 --tun-type gue --tun-port 6081 --tun-csum'],
  ['tunnel gue remcsum', '-i -w 1 --tun-type gue --tun-port 6082 --tun-remcsum'],
  ['tunnel gre nocsum', '-i -w 1 --tun-type gre --tun-nocsum'],
  ['tunnel gre csum', '-i -w 1 --tun-type gre --tun-csum'],
].map(([name, options], index) => ({
  name: `forwarding ${name}`,
  lines: [`-A -t 10.2.${index}.1:443 -s wlc`, `-a -t 10.2.${index}.1:443 -r 10.2.${index}.5:443 ${options}`],
}));

const OTHER_TABLES: MatrixTable[] = [
  { name: 'fwmark IPv4', lines: ['-A -f 1 -s rr', '-a -f 1 -r 10.3.0.2:0 -g -w 1', '-a -f 1 -r 10.3.0.3:0 -g -w 4'] },
  { name: 'fwmark IPv6', lines: ['-A -f 2 -6 -s wlc', '-a -f 2 -6 -r [2001:db8::2]:0 -g -w 1'] },
  { name: 'fwmark persistent', lines: ['-A -f 3 -s mh -p 360 -b mh-port', '-a -f 3 -r 10.3.1.2:0 -g -w 1'] },
  { name: 'fwmark above 2^31', lines: ['-A -f -2 -s rr', '-A -t 10.3.2.1:80 -s rr', '-A -f 7 -s rr'] },
  { name: 'fwmark with port on destination', lines: ['-A -f 9 -s wrr', '-a -f 9 -r 10.3.3.2:8080 -m -w 3'] },
  { name: 'IPv6 TCP', lines: ['-A -t [2001:db8::1]:443 -s rr', '-a -t [2001:db8::1]:443 -r [2001:db8::5]:443 -m -w 2', '-a -t [2001:db8::1]:443 -r [2001:db8::6]:8443 -m -w 1'] },
  { name: 'IPv6 UDP', lines: ['-A -u [2001:db8:1::1]:53 -s sh -b sh-port', '-a -u [2001:db8:1::1]:53 -r [2001:db8:1::2]:53 -g -w 1'] },
  { name: 'IPv6 SCTP', lines: ['-A --sctp-service [2001:db8:2::1]:3868 -s nq', '-a --sctp-service [2001:db8:2::1]:3868 -r [2001:db8:2::2]:3868 -i -w 1 --tun-type ipip'] },
  { name: 'IPv6 long addresses', lines: ['-A -t [2001:db8:1234:5678:9abc:def0:1234:5678]:65535 -s rr', '-a -t [2001:db8:1234:5678:9abc:def0:1234:5678]:65535 -r [2001:db8:1234:5678:9abc:def0:1234:5679]:65535 -m -w 1000000'] },
  { name: 'SCTP IPv4', lines: ['-A --sctp-service 10.4.0.1:3868 -s sed', '-a --sctp-service 10.4.0.1:3868 -r 10.4.0.2:3868 -g -w 1'] },
  { name: 'persistent default timeout', lines: ['-A -t 10.5.0.1:0 -s rr -p 360', '-a -t 10.5.0.1:0 -r 10.5.0.2:0 -g -w 1'] },
  { name: 'persistent with IPv4 mask', lines: ['-A -u 10.5.1.1:53 -s sh -p 300 -M 255.255.255.0 -b sh-fallback,sh-port', '-a -u 10.5.1.1:53 -r 10.5.1.5:53 -g -w 1'] },
  { name: 'persistent with IPv6 prefix', lines: ['-A -t [2001:db8:5::1]:443 -s lblcr -p 60 -M 64', '-a -t [2001:db8:5::1]:443 -r [2001:db8:5::5]:443 -m -w 2'] },
  { name: 'persistence engine sip', lines: ['-A -u 10.5.2.1:5060 -s wrr -p 30 --pe sip', '-a -u 10.5.2.1:5060 -r 10.5.2.2:5060 -m -w 1'] },
  { name: 'one-packet scheduling', lines: ['-A -u 10.5.3.1:514 -s rr -o', '-a -u 10.5.3.1:514 -r 10.5.3.2:514 -g -w 1'] },
  { name: 'persistence engine, flags and ops together', lines: ['-A -u 10.5.4.1:5060 -s sh -p 120 -M 255.255.0.0 --pe sip -o -b sh-port'] },
  { name: 'persistent broad mask', lines: ['-A -t 10.5.5.1:80 -s wlc -p 99999 -M 255.0.0.0'] },
  { name: 'thresholds', lines: ['-A -t 10.6.0.1:80 -s wlc', '-a -t 10.6.0.1:80 -r 10.6.0.2:80 -m -w 3 -x 100 -y 10', '-a -t 10.6.0.1:80 -r 10.6.0.3:80 -m -w 1 -x 5'] },
  { name: 'thresholds IPv6', lines: ['-A -t [2001:db8:6::1]:80 -s lc', '-a -t [2001:db8:6::1]:80 -r [2001:db8:6::2]:80 -m -w 1 -x 999999 -y 88888'] },
  { name: 'weights 0 and 65535', lines: ['-A -t 10.7.0.1:80 -s wrr', '-a -t 10.7.0.1:80 -r 10.7.0.2:80 -m -w 0', '-a -t 10.7.0.1:80 -r 10.7.0.3:80 -m -w 65535'] },
  { name: 'empty service', lines: ['-A -t 10.8.0.1:80 -s wlc'] },
  { name: 'generic scheduler flags', lines: ['-A -t 10.8.1.1:80 -s rr -b flag-1,flag-3', '-a -t 10.8.1.1:80 -r 10.8.1.2:80 -g -w 1'] },
  { name: 'empty table', lines: [] },
  {
    name: 'mixed protocols and families (sort order)',
    lines: [
      '-A -t 10.9.0.1:80 -s rr', '-A -t 10.9.0.1:443 -s rr', '-A -t 10.9.0.12:21 -s dh', '-A -u 10.9.0.1:53 -s rr',
      '-A --sctp-service 10.9.0.1:3868 -s rr', '-A -t [2001:db8:9::1]:80 -s rr', '-A -u [2001:db8:9::1]:53 -s rr',
      '-A -f 5 -s rr', '-A -f 6 -6 -s rr',
    ],
  },
  {
    name: 'many destinations',
    lines: ['-A -t 10.10.0.1:80 -s wlc', ...Array.from({ length: 24 }, (_, i) => `-a -t 10.10.0.1:80 -r 10.10.0.${10 + i}:${8000 + (i % 4)} -m -w ${i}`)],
  },
  {
    name: 'many services',
    lines: Array.from({ length: 30 }, (_, i) => [`-A -t 10.11.${i}.1:${80 + i} -s ${SCHEDULERS[i % SCHEDULERS.length]}`, `-a -t 10.11.${i}.1:${80 + i} -r 10.11.${i}.2:${80 + i} -g -w 1`]).flat(),
  },
  { name: 'masquerade port change', lines: ['-A -u 10.12.0.1:53 -s rr', '-a -u 10.12.0.1:53 -r 10.12.0.2:5353 -m -w 1'] },
  { name: 'all forwarding methods in one service', lines: ['-A -t 10.13.0.1:80 -s wrr', '-a -t 10.13.0.1:80 -r 10.13.0.2:80 -g -w 1', '-a -t 10.13.0.1:80 -r 10.13.0.3:80 -i -w 2 --tun-type ipip', '-a -t 10.13.0.1:80 -r 10.13.0.4:80 -m -w 3'] },
];

export const MATRIX: readonly MatrixTable[] = [...schedulerTables(), ...SCHEDULER_FLAG_TABLES, ...FORWARDING_TABLES, ...OTHER_TABLES];

/** The table as ipvsadm -Sn prints it: thresholds are not part of its save format. */
export function savedText(table: MatrixTable): string {
  return table.lines.map((line) => `${line.replace(/ -[xy] \d+/g, '')}\n`).join('');
}

/** The table as ipvsadm -R input (ipvsadm spells a fwmark above 2^31 as its unsigned value). */
export function restoreText(table: MatrixTable): string {
  return table.lines.map((line) => `${line.replace(/-f (-\d+)/, (_, mark: string) => `-f ${(Number(mark) >>> 0)}`)}\n`).join('');
}
