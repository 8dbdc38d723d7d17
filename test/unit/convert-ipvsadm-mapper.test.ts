// What each ipvsadm rule becomes in keepalived.conf, and what becomes a warning instead.
import { describe, expect, it } from 'vitest';
import { mapIpvsadmToKeepalived, type IpvsadmConversionOptions } from '../../src/convert/ipvsadm-mapper.js';
import { readIpvsadmTable } from '../../src/convert/ipvsadm-table.js';
import { writeKeepalivedConfig } from '../../src/convert/keepalived-writer.js';

function convert(rules: string, options: IpvsadmConversionOptions = {}) {
  const result = mapIpvsadmToKeepalived(readIpvsadmTable(rules, (name) => (name === 'https' ? 443 : null)), options);
  return { text: writeKeepalivedConfig(result.document), warnings: result.warnings.map((w) => `${w.line}: ${w.option}: ${w.message}`), summary: result.summary };
}

/** The lines of the block that starts with `head`, indentation removed. */
function blockOf(text: string, head: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${head} {`);
  if (start < 0) throw new Error(`no block '${head}' in:\n${text}`);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  const end = lines.findIndex((line, i) => i > start && line.length - line.trimStart().length === indent && line.trim() === '}');
  return lines.slice(start + 1, end).map((line) => line.trim());
}

describe('convert ipvsadm: services', () => {
  it('writes protocol, scheduler and forwarding of a TCP service, real servers with their weights', () => {
    const { text, warnings, summary } = convert('-A -t 192.0.2.1:80 -s wrr\n-a -t 192.0.2.1:80 -r 10.0.0.1:8080 -m -w 3\n-a -t 192.0.2.1:80 -r 10.0.0.2:8080 -m -w 0\n');
    expect(blockOf(text, 'virtual_server 192.0.2.1 80').slice(0, 3)).toEqual(['protocol TCP', 'lvs_sched wrr', 'lvs_method NAT']);
    expect(blockOf(text, 'real_server 10.0.0.1 8080')).toEqual(['weight 3']);
    expect(blockOf(text, 'real_server 10.0.0.2 8080')).toEqual(['weight 0']);
    expect(warnings).toEqual([]);
    expect(summary).toMatchObject({ virtualServers: 1, realServers: 2, unchecked: 2, warnings: 0 });
  });

  it('writes UDP and SCTP services with their protocol', () => {
    const { text } = convert('-A -u 192.0.2.1:53 -s rr\n-a -u 192.0.2.1:53 -r 10.0.0.1:53 -g\n-A --sctp-service 192.0.2.1:3868\n-a --sctp-service 192.0.2.1:3868 -r 10.0.0.1:3868 -m\n');
    expect(blockOf(text, 'virtual_server 192.0.2.1 53')).toContain('protocol UDP');
    expect(blockOf(text, 'virtual_server 192.0.2.1 3868')).toEqual(expect.arrayContaining(['protocol SCTP', 'lvs_sched wlc']));
  });

  it('writes fwmark services as virtual_server fwmark N with their family; a mark of 2^31 and above read back from its negative save form', () => {
    const { text } = convert('-A -f 5 -s rr\n-a -f 5 -r 10.0.0.1:0 -g -w 1\n-A -f 6 -6 -s rr\n-a -f 6 -6 -r [2001:db8::1]:0 -g -w 1\n-A -f -2147483647 -s rr\n-a -f -2147483647 -r 10.0.0.2:0 -g\n');
    expect(blockOf(text, 'virtual_server fwmark 5')).toEqual(['ip_family inet', 'lvs_sched rr', 'lvs_method DR', 'real_server 10.0.0.1 {', 'weight 1', '}']);
    expect(blockOf(text, 'virtual_server fwmark 6')).toEqual(expect.arrayContaining(['ip_family inet6', 'real_server 2001:db8::1 {']));
    expect(text).toContain('virtual_server fwmark 2147483649 {');
  });

  it('writes IPv6 services and a persistent any-port service without a port', () => {
    const { text } = convert('-A -t [2001:db8::10]:https -s sh -p 120 -M 64\n-a -t [2001:db8::10]:443 -r [2001:db8::11]:443 -g\n-A -t 192.0.2.1:0 -s rr -p\n-a -t 192.0.2.1:0 -r 10.0.0.1:0 -g\n');
    expect(blockOf(text, 'virtual_server 2001:db8::10 443')).toEqual(expect.arrayContaining(['persistence_timeout 120', 'persistence_granularity 64', 'real_server 2001:db8::11 443 {']));
    expect(blockOf(text, 'virtual_server 192.0.2.1')).toEqual(expect.arrayContaining(['persistence_timeout 360', 'real_server 10.0.0.1 {']));
  });

  it('maps persistence: timeout, IPv4 netmask as a dotted persistence_granularity, persistence engine', () => {
    const { text } = convert('-A -u 192.0.2.1:5060 -s rr -p 60 -M 255.255.255.0 --pe sip\n-a -u 192.0.2.1:5060 -r 10.0.0.1:5060 -m\n');
    expect(blockOf(text, 'virtual_server 192.0.2.1 5060')).toEqual(expect.arrayContaining(['persistence_timeout 60', 'persistence_granularity 255.255.255.0', 'persistence_engine sip']));
  });

  it('names sh and mh flags as keepalived does, flag-N for other schedulers, and writes ops', () => {
    const { text } = convert([
      '-A -t 192.0.2.1:1 -s sh -b sh-fallback,sh-port', '-a -t 192.0.2.1:1 -r 10.0.0.1:1 -m',
      '-A -t 192.0.2.1:2 -s mh -b mh-port,mh-fallback', '-a -t 192.0.2.1:2 -r 10.0.0.1:2 -m',
      '-A -t 192.0.2.1:3 -s rr -b flag-1,flag-3', '-a -t 192.0.2.1:3 -r 10.0.0.1:3 -m',
      '-A -u 192.0.2.1:4 -s rr -o', '-a -u 192.0.2.1:4 -r 10.0.0.1:4 -m',
    ].join('\n'));
    expect(blockOf(text, 'virtual_server 192.0.2.1 1')).toEqual(expect.arrayContaining(['lvs_sched sh', 'sh-fallback', 'sh-port']));
    expect(blockOf(text, 'virtual_server 192.0.2.1 2')).toEqual(expect.arrayContaining(['lvs_sched mh', 'mh-fallback', 'mh-port']));
    expect(blockOf(text, 'virtual_server 192.0.2.1 3')).toEqual(expect.arrayContaining(['flag-1', 'flag-3']));
    expect(blockOf(text, 'virtual_server 192.0.2.1 3')).not.toContain('flag-2');
    expect(blockOf(text, 'virtual_server 192.0.2.1 4')).toContain('ops');
  });
});

describe('convert ipvsadm: real servers', () => {
  it('takes the most common forwarding for the service and overrides it per real server, tunnel options included', () => {
    const { text } = convert([
      '-A -t 192.0.2.1:80 -s rr',
      '-a -t 192.0.2.1:80 -r 10.0.0.1:80 -i -w 1',
      '-a -t 192.0.2.1:80 -r 10.0.0.2:80 -i -w 1',
      '-a -t 192.0.2.1:80 -r 10.0.0.3:80 -i --tun-type gue --tun-port 6080 --tun-csum',
      '-a -t 192.0.2.1:80 -r 10.0.0.4:80 -i --tun-type gue --tun-port 6081 --tun-remcsum',
      '-a -t 192.0.2.1:80 -r 10.0.0.5:80 -i --tun-type gre --tun-nocsum',
      '-a -t 192.0.2.1:80 -r 10.0.0.6:80 -g',
    ].join('\n'));
    expect(blockOf(text, 'virtual_server 192.0.2.1 80')).toContain('lvs_method TUN');
    expect(blockOf(text, 'real_server 10.0.0.1 80')).toEqual(['weight 1']);
    expect(blockOf(text, 'real_server 10.0.0.3 80')).toContain('lvs_method TUN type gue port 6080 csum');
    expect(blockOf(text, 'real_server 10.0.0.4 80')).toContain('lvs_method TUN type gue port 6081 remcsum');
    expect(blockOf(text, 'real_server 10.0.0.5 80')).toContain('lvs_method TUN type gre');
    expect(blockOf(text, 'real_server 10.0.0.6 80')).toContain('lvs_method DR');
  });

  it('writes thresholds as uthreshold and lthreshold', () => {
    const { text } = convert('-A -t 192.0.2.1:80\n-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2 -x 100 -y 50\n');
    expect(blockOf(text, 'real_server 10.0.0.1 80')).toEqual(['weight 2', 'uthreshold 100', 'lthreshold 50']);
  });

  it('--checker tcp writes a TCP_CHECK and http an HTTP_GET of / expecting 200, both with connect_port', () => {
    const rules = '-A -t 192.0.2.1:80\n-a -t 192.0.2.1:80 -r 10.0.0.1:8080 -m\n';
    const tcp = convert(rules, { checker: 'tcp' });
    expect(blockOf(tcp.text, 'TCP_CHECK')).toEqual(['connect_port 8080']);
    expect(tcp.summary).toMatchObject({ checkers: { TCP_CHECK: 1 }, unchecked: 0 });
    const http = convert(rules, { checker: 'http' });
    expect(blockOf(http.text, 'HTTP_GET')).toEqual(['url {', 'path /', 'status_code 200', '}', 'connect_port 8080']);
    expect(http.summary.checkers).toEqual({ HTTP_GET: 1 });
  });

  it('--checker leaves out, with a warning, real servers without a port and those of UDP services', () => {
    const { text, warnings, summary } = convert('-A -f 1\n-a -f 1 -r 10.0.0.1:0 -g\n-A -u 192.0.2.1:53\n-a -u 192.0.2.1:53 -r 10.0.0.1:53 -m\n', { checker: 'tcp' });
    expect(text).not.toContain('TCP_CHECK');
    expect(warnings).toEqual([
      '2: --checker: 10.0.0.1:0 in FWM 1 has no port (a firewall-mark or any-port service); keepalived cannot tell which port to check; written without a checker',
      '4: --checker: 10.0.0.1:53 in UDP 192.0.2.1:53 is UDP; a TCP connect or HTTP check would not test it; written without a checker',
    ]);
    expect(summary.unchecked).toBe(2);
  });
});

describe('convert ipvsadm: the whole file', () => {
  it('applies edits and deletions in order and converts the table they leave', () => {
    const { text, warnings } = convert([
      '-A -t 192.0.2.1:80 -s rr', '-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m', '-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m',
      '-E -t 192.0.2.1:80 -s lc', '-e -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 7', '-d -t 192.0.2.1:80 -r 10.0.0.2:80',
      '-A -t 192.0.2.2:80', '-a -t 192.0.2.2:80 -r 10.0.0.3:80', '-D -t 192.0.2.2:80',
    ].join('\n'));
    expect(blockOf(text, 'virtual_server 192.0.2.1 80')).toEqual(['protocol TCP', 'lvs_sched lc', 'lvs_method NAT', 'real_server 10.0.0.1 80 {', 'weight 7', '}']);
    expect(text).not.toContain('192.0.2.2');
    expect(warnings).toEqual(['6: -d: removes 10.0.0.2:80 in TCP 192.0.2.1:80 (line 3); it is not converted', '9: -D: removes TCP 192.0.2.2:80 (line 7); it is not converted']);
  });

  it('finds an IPv6 service or real server however its address is spelled, and writes it in one spelling', () => {
    const { text, warnings } = convert('-A -t [2001:DB8:0::10]:80 -s rr\n-a -t [2001:db8::10]:80 -r [2001:db8:0:0::11]:80 -m\n-e -t [2001:db8::10]:80 -r [2001:DB8::11]:80 -m -w 4\n');
    expect(warnings).toEqual([]);
    expect(blockOf(text, 'real_server 2001:db8::11 80')).toEqual(['weight 4']);
    expect(text).toContain('virtual_server 2001:db8::10 80 {');
  });

  it('-C empties the table built so far', () => {
    const { text, warnings } = convert('-A -t 192.0.2.1:80\n-a -t 192.0.2.1:80 -r 10.0.0.1:80\n-C\n-A -t 192.0.2.3:80\n-a -t 192.0.2.3:80 -r 10.0.0.1:80\n');
    expect(text).not.toContain('192.0.2.1 ');
    expect(text).toContain('virtual_server 192.0.2.3 80 {');
    expect(warnings).toEqual(['3: -C: clears the 1 service(s) defined above; they are not converted']);
  });

  it('turns --set timeouts into lvs_timeouts, leaving out the ones set to 0', () => {
    const { text } = convert('ipvsadm --set 900 0 300\n-A -t 192.0.2.1:80\n-a -t 192.0.2.1:80 -r 10.0.0.1:80\n');
    expect(blockOf(text, 'global_defs')).toEqual(['# --set (line 1); a 0 there leaves that timeout as it is, so it is left out', 'lvs_timeouts tcp 900 udp 300']);
  });

  it('warns, with the line, about everything it cannot convert', () => {
    const { warnings, summary } = convert([
      '-A -t 192.0.2.1:80 -s rr -M 255.255.255.0', '-a -t 192.0.2.1:80 -r 10.0.0.1:80',
      '-A -t 192.0.2.2:80 -s nosuch', '-a -t 192.0.2.2:80 -r 10.0.0.1:80',
      '-A -t 192.0.2.3:80 -s rr -p 9999999', '-a -t 192.0.2.3:80 -r 10.0.0.1:80',
      '-A -t 192.0.2.4:80', '--start-daemon master --mcast-interface eth0', '-Z', '-a -t 192.0.2.9:80 -r 10.0.0.1:80',
      '-A -t 192.0.2.1:80', '-a -t 192.0.2.1:80 -r 10.0.0.1:80', '-A -t 192.0.2.5:80 --bogus', '--set 0 0 0',
    ].join('\n'));
    expect(warnings).toEqual([
      '1: -M: a persistence netmask only matters with -p (TCP 192.0.2.1:80); not converted',
      "3: -s: keepalived 2.2.7 does not know the scheduler 'nosuch' (TCP 192.0.2.2:80); written as wlc, keepalived's default",
      "5: -p: persistence timeout 9999999 is above keepalived's largest, 2678400; written as 2678400",
      '7: -A: TCP 192.0.2.4:80 has no real servers; not converted (keepalived ignores a virtual_server without real servers)',
      "8: --start-daemon: the connection sync daemon is keepalived's global_defs lvs_sync_daemon (tied to a vrrp_instance); not converted",
      '9: -Z: zeroing counters is not configuration; ignored',
      '10: -a: TCP 192.0.2.9:80 does not exist at this point; ipvsadm would refuse this line, not converted',
      '11: -A: TCP 192.0.2.1:80 already exists (line 1); ipvsadm would refuse this line, not converted',
      '12: -a: 10.0.0.1:80 in TCP 192.0.2.1:80 already exists (line 2); ipvsadm would refuse this line, not converted',
      "13: -A: unknown option '--bogus'; line not converted",
      '14: --set: every timeout is 0 (leave unchanged); nothing to convert',
    ]);
    expect(summary.warnings).toBe(warnings.length);
  });

  it('keeps comments above the service or real server they precede or follow on the line, the others in the header', () => {
    const { text } = convert('# director rules\n\n# web\n-A -t 192.0.2.1:80 -s rr # round robin\n# first box\n-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m\n-Z # zero\n# the end\n');
    expect(text).toContain('# web\n# round robin\nvirtual_server 192.0.2.1 80 {');
    expect(text).toContain('  # first box\n  real_server 10.0.0.1 80 {');
    expect(text).toContain('# line 1: director rules\n# line 7: zero\n# line 8: the end\n');
  });

  it('warns when nothing is left to convert', () => {
    expect(convert('# nothing\n').warnings).toEqual(['0: -A: the input leaves no virtual service with real servers to convert']);
  });
});
