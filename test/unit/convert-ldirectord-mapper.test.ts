import { describe, expect, it } from 'vitest';
import { parseLdirectordConfig } from '../../src/convert/ldirectord-parser.js';
import { mapLdirectordToKeepalived } from '../../src/convert/ldirectord-mapper.js';
import { writeKeepalivedConfig } from '../../src/convert/keepalived-writer.js';

function convert(lines: string[]) {
  const { config } = parseLdirectordConfig(lines.join('\n'));
  const mapped = mapLdirectordToKeepalived(config, 'test.cf');
  return { ...mapped, text: writeKeepalivedConfig(mapped.document) };
}

/** The config without comments or indentation, one statement per line, for compact assertions. */
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

describe('ldirectord to keepalived mapping', () => {
  it('maps an HTTP negotiate service with fallback, quiescent and timers', () => {
    const { text, warnings, summary } = convert([
      'checkinterval=4', 'negotiatetimeout=3', 'failurecount=3', 'quiescent=yes',
      'virtual=192.0.2.1:80', ' real=10.0.0.1 gate 2', ' fallback=127.0.0.1:8080 masq', ' service=http', ' request="index.html"', ' receive="Up"', ' virtualhost=www.example.org', ' scheduler=lc', ' persistent=300', ' netmask=255.255.255.0',
    ]);
    expect(lines(text)).toEqual([
      'virtual_server 192.0.2.1 80 {', 'delay_loop 4', 'lb_algo lc', 'lb_kind DR', 'protocol TCP', 'persistence_timeout 300', 'persistence_granularity 255.255.255.0',
      'inhibit_on_failure', 'sorry_server 127.0.0.1 8080', 'sorry_server_lvs_method NAT',
      'real_server 10.0.0.1 80 {', 'weight 2', 'HTTP_GET {', 'url {', 'path /index.html', 'status_code 200-299', 'regex Up', '}', 'virtualhost www.example.org',
      'connect_timeout 3', 'retry 2', 'delay_before_retry 4', '}', '}', '}',
    ]);
    expect(warnings.map((w) => [w.line, w.option])).toEqual([[10, 'receive']]);
    expect(summary).toMatchObject({ virtualServers: 1, realServers: 1, sorryServers: 1, checkers: { HTTP_GET: 1 } });
  });

  it("writes ldirectord's defaults explicitly: 10 s interval, wrr, 30 s negotiate timeout, no quiescence", () => {
    const body = lines(convert(['virtual=192.0.2.1:80', ' real=10.0.0.1 gate']).text);
    expect(body).toEqual(expect.arrayContaining(['delay_loop 10', 'lb_algo wrr', 'connect_timeout 30', 'retry 0', 'delay_before_retry 10', 'HTTP_GET {']));
    expect(body).not.toContain('inhibit_on_failure');
  });

  it('applies checktimeout to connect checks only, and gives DR servers the service port', () => {
    const { text, warnings } = convert(['checktimeout=2', 'virtual=192.0.2.1:80', ' real=10.0.0.1:8080 gate', ' checktype=connect']);
    expect(lines(text)).toEqual(expect.arrayContaining(['real_server 10.0.0.1 80 {', 'TCP_CHECK {', 'connect_timeout 2']));
    expect(warnings.map((w) => [w.line, w.option])).toEqual([[3, 'real']]);
  });

  it('chooses the checker from checktype, service and protocol', () => {
    const checker = (options: string[], port = 5353) => {
      const { text } = convert([`virtual=192.0.2.1:${port}`, ' real=10.0.0.1 masq', ...options.map((o) => ` ${o}`)]);
      return lines(text).find((l) => /^[A-Z_]+ \{$/.test(l));
    };
    expect(checker(['checktype=connect'])).toBe('TCP_CHECK {');
    // ldirectord's connect check for UDP is a ping
    expect(checker(['checktype=connect', 'protocol=udp'])).toBe('PING_CHECK {');
    expect(checker(['checktype=ping'])).toBe('PING_CHECK {');
    expect(checker(['service=dns'])).toBe('DNS_CHECK {');
    expect(checker(['service=smtp'])).toBe('SMTP_CHECK {');
    expect(checker(['service=https'])).toBe('SSL_GET {');
    expect(checker(['checktype=external', 'checkcommand=/usr/bin/chk'])).toBe('MISC_CHECK {');
    expect(checker(['checktype=off'])).toBe('MISC_CHECK {');
    expect(checker(['checktype=on'])).toBeUndefined();
    // an unknown port means service=none: negotiate with nothing, i.e. never checked
    expect(checker([])).toBeUndefined();
    // the virtual port picks the service when it is left to its default
    expect(checker([], 53)).toBe('DNS_CHECK {');
    expect(checker([], 25)).toBe('SMTP_CHECK {');
    expect(checker([], 443)).toBe('SSL_GET {');
  });

  it('passes the virtual and real address and port to an external check, and enables script security', () => {
    const { text } = convert(['virtual=192.0.2.1:8080', ' real=10.0.0.1:9090 masq', ' checktype=external', ' checkcommand="/usr/bin/chk --fast"']);
    expect(text).toContain('misc_path "/usr/bin/chk --fast 192.0.2.1 8080 10.0.0.1 9090"');
    expect(lines(text).slice(0, 4)).toEqual(['global_defs {', 'enable_script_security', 'script_user root', '}']);
  });

  it('writes fwmark services with ip_family for IPv6 and a connect_port from checkport', () => {
    const { text } = convert(['virtual6=9', ' real=[fd00::1] gate', ' checktype=connect', ' checkport=443', ' quiescent=no']);
    const body = lines(text);
    expect(body).toContain('virtual_server fwmark 9 {');
    expect(body).toContain('ip_family inet6');
    expect(body).toContain('real_server fd00::1 {');
    expect(body).toContain('connect_port 443');
    expect(body).not.toContain('inhibit_on_failure');
    expect(body).not.toContain('protocol TCP');
  });

  it('reports every option without an equivalent, once, with its line', () => {
    const { warnings } = convert(['logfile=/var/log/ld.log', 'autoreload=yes', 'virtual=192.0.2.1:3306', ' real=10.0.0.1 masq', ' service=mysql', ' login=u', ' passwd=p', ' httpmethod=HEAD']);
    expect(warnings.map((w) => [w.line, w.option])).toEqual([[1, 'logfile'], [2, 'autoreload'], [5, 'service'], [6, 'login'], [7, 'passwd'], [8, 'httpmethod']]);
  });

  it('maps email alerts to global_defs and smtp_alert, and a fallback command to quorum scripts', () => {
    const { text } = convert(['emailalert=a@example.org', 'emailalertfrom=lb@example.org', 'smtp=192.0.2.25', 'virtual=192.0.2.1:80', ' real=10.0.0.1 gate', ' fallbackcommand=/usr/bin/page']);
    const body = lines(text);
    expect(body.slice(0, 6)).toEqual(['global_defs {', 'notification_email {', 'a@example.org', '}', 'notification_email_from lb@example.org', 'smtp_server 192.0.2.25']);
    expect(body).toContain('smtp_alert');
    expect(body).toContain('quorum_down "/usr/bin/page start"');
    expect(body).toContain('quorum_up "/usr/bin/page stop"');
  });

  it('never writes a double quote keepalived.conf cannot hold', () => {
    const { text, warnings } = convert(['emailalertfrom="LB" <lb@example.org>', 'virtual=192.0.2.1:80', ' real=10.0.0.1 gate', ' emailalert=ok@example.org,"bad"@example.org', ' fallbackcommand=/usr/bin/page "now"']);
    expect(text).toContain('notification_email_from "LB <lb@example.org>"');
    expect(text).toContain('quorum_down "/usr/bin/page now start"');
    expect(lines(text)).toContain('ok@example.org');
    expect(text).not.toContain('"bad"');
    expect(warnings.map((w) => w.option).sort()).toEqual(['emailalert', 'emailalertfrom', 'fallbackcommand', 'fallbackcommand']);
  });

  it('leaves out services without real servers and says so', () => {
    const { text, warnings, summary } = convert(['virtual=192.0.2.1:80', ' service=http']);
    expect(text).not.toContain('virtual_server');
    expect(summary.virtualServers).toBe(0);
    expect(warnings.some((w) => w.line === 1 && w.option === 'virtual')).toBe(true);
  });

  it('quotes arguments with spaces and escapes double quotes in regexes', () => {
    const { text } = convert(['virtual=192.0.2.1:80', ' real=10.0.0.1 gate', ' service=http', ' receive=say "hi" now']);
    expect(text).toContain(String.raw`regex "say \x22hi\x22 now"`);
  });
});
