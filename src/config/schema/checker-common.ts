// Keywords shared by checkers: the connection keywords of network checkers, the timing keywords
// every checker takes (and virtual_server / real_server set as defaults), and the checker blocks.
import { type BlockTable, type KeywordSpec, bool, int, kw, none, parsed, secs, str } from './types.js';
import { MAX_LONG_TIMER, MAX_TIMER } from './limits.js';

/** Checker blocks a real_server may hold (any number, all must pass). */
export const CHECKER_BLOCKS: readonly KeywordSpec[] = [
  kw('HTTP_GET', none(), 'HTTP health check', { block: 'HTTP_GET', repeatable: true }),
  kw('SSL_GET', none(), 'HTTPS health check', { block: 'SSL_GET', repeatable: true }),
  kw('TCP_CHECK', none(), 'TCP connect health check', { block: 'TCP_CHECK', repeatable: true }),
  kw('MISC_CHECK', none(), 'Script health check', { block: 'MISC_CHECK', repeatable: true }),
  kw('SMTP_CHECK', none(), 'SMTP health check', { block: 'SMTP_CHECK', repeatable: true }),
  kw('DNS_CHECK', none(), 'DNS health check', { block: 'DNS_CHECK', repeatable: true }),
  kw('UDP_CHECK', none(), 'UDP health check', { block: 'UDP_CHECK', repeatable: true }),
  kw('PING_CHECK', none(), 'ICMP echo health check', { block: 'PING_CHECK', repeatable: true }),
  kw('FILE_CHECK', none(), 'Health from a tracked file', { block: 'FILE_CHECK', repeatable: true }),
  parsed('BFD_CHECK', none(), 'Health from a BFD session', { block: 'BFD_CHECK', repeatable: true }),
];

export const CHECK_TIMING: readonly KeywordSpec[] = [
  kw('connect_timeout', secs(0.000001, MAX_TIMER), 'Seconds to wait for a connection', { defaultValue: '5' }),
  kw('retry', int(1, 4294967295), 'Retries before failure', { defaultValue: '1' }),
  kw('delay_before_retry', secs(0, MAX_LONG_TIMER), 'Seconds between retries', { defaultValue: '1' }),
  kw('warmup', secs(0, MAX_LONG_TIMER), 'Random delay before the first check', { defaultValue: 'delay_loop' }),
  kw('delay_loop', secs(0.000001, MAX_LONG_TIMER), 'Seconds between checks', { defaultValue: '60' }),
  kw('alpha', bool(), 'Servers start down until a check passes'),
  parsed('smtp_alert', bool(), 'Email on server changes'),
  kw('virtualhost', str(), 'Host header for HTTP_GET/SSL_GET'),
  parsed('snmp_name', str(), 'Name in the SNMP MIB'),
];

export const CHECK_CONNECTION: readonly KeywordSpec[] = [
  kw('connect_ip', str(), 'Address to check instead of the real server'),
  kw('connect_port', int(1, 65535), 'Port to check'),
  kw('bindto', str(), 'Source address'),
  kw('bind_port', int(1, 65535), 'Source port'),
  kw('bind_if', str(), 'Interface of a link-local bindto / connect_ip'),
  kw('fwmark', int(0, 4294967295), 'SO_MARK on the check socket'),
];

/** Timing keywords of a checker block (install_checker_common_keywords). */
export const CHECK_COMMON: readonly KeywordSpec[] = [
  kw('connect_timeout', secs(0.000001, MAX_TIMER), 'Seconds to wait for a connection', { defaultValue: '5' }),
  kw('retry', int(0, 4294967295), 'Retries before failure', { defaultValue: '1' }),
  kw('delay_before_retry', secs(0, MAX_LONG_TIMER), 'Seconds between retries', { defaultValue: '1' }),
  kw('warmup', secs(0, MAX_LONG_TIMER), 'Random delay before the first check'),
  kw('delay_loop', secs(0.000001, MAX_LONG_TIMER), 'Seconds between checks'),
  kw('alpha', bool(), 'Start down until a check passes'),
  parsed('log_all_failures', bool(), 'Log every failure, not only transitions'),
];

/** A checker that connects somewhere: connection + timing keywords + its own. */
export const networkChecker = (name: string, specific: readonly KeywordSpec[], common = CHECK_COMMON): BlockTable => ({
  name,
  header: name,
  keywords: [...CHECK_CONNECTION, ...common, ...specific],
});
