// virtual_server ... { } and real_server IP [PORT] { } (keepalived.conf(5) "LVS CONFIGURATION").
import { type BlockTable, type KeywordSpec, alias, bool, deprecated, int, kw, none, oneOf, oneOfAnyCase, parsed, secs, str, weight, words, wordsStartingWith } from './types.js';

const MAX_TIMER = 4294.967295;
/** delay_loop and warmup are 64-bit microsecond counts in keepalived. */
const MAX_LONG_TIMER = 18446744073709.551614;
export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'] as const;

/** Checker blocks a real_server may hold (any number, all must pass). */
const CHECKERS: readonly KeywordSpec[] = [
  kw('HTTP_GET', none(), 'HTTP health check', { block: 'HTTP_GET', repeatable: true }),
  parsed('SSL_GET', none(), 'HTTPS health check', { block: 'SSL_GET', repeatable: true }),
  kw('TCP_CHECK', none(), 'TCP connect health check', { block: 'TCP_CHECK', repeatable: true }),
  kw('MISC_CHECK', none(), 'Script health check', { block: 'MISC_CHECK', repeatable: true }),
  parsed('SMTP_CHECK', none(), 'SMTP health check', { block: 'SMTP_CHECK', repeatable: true }),
  parsed('DNS_CHECK', none(), 'DNS health check', { block: 'DNS_CHECK', repeatable: true }),
  parsed('UDP_CHECK', none(), 'UDP health check', { block: 'UDP_CHECK', repeatable: true }),
  parsed('PING_CHECK', none(), 'ICMP echo health check', { block: 'PING_CHECK', repeatable: true }),
  parsed('FILE_CHECK', none(), 'Health from a tracked file', { block: 'FILE_CHECK', repeatable: true }),
  parsed('BFD_CHECK', none(), 'Health from a BFD session', { block: 'BFD_CHECK', repeatable: true }),
];

/** Checker defaults that virtual_server, real_server and checkers can all set. */
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

const LVS_METHOD = wordsStartingWith(['NAT', 'DR', 'TUN']);

export const VIRTUAL_SERVER: BlockTable = {
  name: 'virtual_server',
  header: 'virtual_server IP PORT | fwmark N | group NAME',
  keywords: [
    kw('lvs_sched', oneOf(SCHEDULERS), 'Scheduler', { aliases: [alias('lb_algo')], defaultValue: 'wlc' }),
    kw('lvs_method', LVS_METHOD, 'Forwarding: NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]', { aliases: [alias('lb_kind')], defaultValue: 'NAT' }),
    kw('protocol', oneOfAnyCase(['TCP', 'UDP', 'SCTP']), 'Service protocol', { defaultValue: 'TCP' }),
    kw('persistence_timeout', int(1, 2678400, true), 'Seconds of client affinity (alone: 360)'),
    kw('persistence_granularity', str(), 'Netmask grouping clients for persistence'),
    parsed('persistence_engine', str(), 'Persistence engine (sip)'),
    kw('real_server', words(1), 'Backend: IP [PORT]', { block: 'real_server', repeatable: true }),
    kw('sorry_server', words(1), 'Fallback when no backend is up: IP [PORT]'),
    kw('sorry_server_inhibit', bool(), 'Inhibit the sorry server instead of removing it'),
    parsed('sorry_server_lvs_method', LVS_METHOD, 'Forwarding for the sorry server'),
    kw('quorum', int(1, 2147483647), 'Weight needed for the service to be up', { defaultValue: '1' }),
    kw('hysteresis', int(0, 2147483647), 'Slack around quorum', { defaultValue: '0' }),
    kw('quorum_up', words(), 'Run when quorum is gained'),
    kw('quorum_down', words(), 'Run when quorum is lost'),
    kw('omega', none(), 'Run quorum_down at startup when below quorum'),
    kw('inhibit_on_failure', bool(), 'Set weight 0 instead of removing failed servers'),
    parsed('ha_suspend', none(), 'Suspend checks while the VIP is absent'),
    parsed('ops', none(), 'One-packet scheduling'),
    parsed('hashed', none(), 'sh/mh flag: hashed'),
    parsed('flag-1', none(), 'Scheduler flag 1'),
    parsed('flag-2', none(), 'Scheduler flag 2'),
    parsed('flag-3', none(), 'Scheduler flag 3'),
    parsed('sh-port', none(), 'sh: hash the port too'),
    parsed('sh-fallback', none(), 'sh: fall back when the server is down'),
    parsed('mh-port', none(), 'mh: hash the port too'),
    parsed('mh-fallback', none(), 'mh: fall back when the server is down'),
    parsed('ip_family', oneOf(['inet', 'inet6']), 'Family of a fwmark or tunnel-only service'),
    parsed('weight', int(1, 2147483647), 'Virtual server weight'),
    ...CHECK_TIMING,
  ],
};

export const REAL_SERVER: BlockTable = {
  name: 'real_server',
  header: 'real_server IP [PORT]',
  keywords: [
    kw('weight', int(0, 2147483647), 'IPVS weight (0 = quiesced)', { defaultValue: '1' }),
    ...CHECKERS,
    kw('inhibit_on_failure', bool(), 'Set weight 0 instead of removing on failure'),
    kw('notify_up', words(), 'Run when the server comes up'),
    kw('notify_down', words(), 'Run when the server goes down'),
    kw('lvs_method', LVS_METHOD, 'Forwarding for this server'),
    parsed('uthreshold', int(0, 4294967295), 'Upper connection threshold'),
    parsed('lthreshold', int(0, 4294967295), 'Lower connection threshold'),
    ...CHECK_TIMING,
  ],
};

/** Connection keywords of network checkers (install_checker_common_keywords with connection). */
export const CHECK_CONNECTION: readonly KeywordSpec[] = [
  kw('connect_ip', str(), 'Address to check instead of the real server'),
  kw('connect_port', int(1, 65535), 'Port to check'),
  kw('bindto', str(), 'Source address'),
  kw('bind_port', int(1, 65535), 'Source port'),
  parsed('bind_if', str(), 'Source interface (link-local)'),
  parsed('fwmark', int(0, 4294967295), 'Mark on check packets'),
];

const CHECK_COMMON: readonly KeywordSpec[] = [
  kw('connect_timeout', secs(0.000001, MAX_TIMER), 'Seconds to wait for a connection', { defaultValue: '5' }),
  kw('retry', int(0, 4294967295), 'Retries before failure', { defaultValue: '1' }),
  kw('delay_before_retry', secs(0, MAX_LONG_TIMER), 'Seconds between retries', { defaultValue: '1' }),
  kw('warmup', secs(0, MAX_LONG_TIMER), 'Random delay before the first check'),
  kw('delay_loop', secs(0.000001, MAX_LONG_TIMER), 'Seconds between checks'),
  kw('alpha', bool(), 'Start down until a check passes'),
  parsed('log_all_failures', bool(), 'Log every failure, not only transitions'),
];

const networkChecker = (name: string, specific: readonly KeywordSpec[], common = CHECK_COMMON): BlockTable => ({
  name,
  header: name,
  keywords: [...CHECK_CONNECTION, ...common, ...specific],
});

/** HTTP_GET and SSL_GET still take the old `nb_get_retry` for `retry`, with a warning. */
const HTTP_COMMON = CHECK_COMMON.map((k) => (k.name === 'retry' ? { ...k, aliases: [deprecated('nb_get_retry')] } : k));

const httpSpecific = (tls: boolean): readonly KeywordSpec[] => [
  kw('url', none(), 'A URL to fetch and its expected answer', { block: tls ? 'SSL_GET.url' : 'HTTP_GET.url', repeatable: true }),
  parsed('http_protocol', oneOf(['1.0', '1.0C', '1.1']), 'HTTP version of requests', { defaultValue: '1.0' }),
  kw('virtualhost', str(), 'Host header'),
  parsed('fast_recovery', bool(), 'Retry at once after a failure'),
  // keepalived 2.2.7 installs enable_sni for HTTP_GET too (where it has no effect).
  parsed('enable_sni', bool(), 'Send SNI'),
  ...(tls ? [parsed('sni_name', str(), 'SNI name'), parsed('tls_compliant', bool(), 'Close TLS properly')] : []),
];

const urlTable = (name: string, tls: boolean): BlockTable => ({
  name,
  header: 'url',
  keywords: [
    kw('path', str(), 'Request path'),
    kw('digest', str(), 'Expected MD5 of the body (hex)'),
    kw('status_code', words(), 'Expected status codes or ranges (200, 200-299 ...)'),
    kw('virtualhost', str(), 'Host header for this URL'),
    parsed('regex', str(), 'Body must match this regular expression'),
    parsed('regex_no_match', none(), 'Body must not match regex'),
    parsed('regex_options', words(), 'PCRE2 options'),
    parsed('regex_min_offset', int(0, 2147483647), 'Match start offset'),
    parsed('regex_max_offset', int(0, 2147483647), 'Match end offset'),
    parsed('regex_stack', words(), 'PCRE2 JIT stack: START MAX'),
    ...(tls ? [parsed('tls_compliant', bool(), 'Close TLS properly')] : []),
  ],
});

export const CHECKER_TABLES: readonly BlockTable[] = [
  networkChecker('HTTP_GET', httpSpecific(false), HTTP_COMMON),
  urlTable('HTTP_GET.url', false),
  networkChecker('SSL_GET', httpSpecific(true), HTTP_COMMON),
  urlTable('SSL_GET.url', true),
  networkChecker('TCP_CHECK', []),
  {
    name: 'MISC_CHECK',
    header: 'MISC_CHECK',
    keywords: [
      ...CHECK_COMMON.filter((k) => k.name !== 'connect_timeout'),
      kw('misc_path', words(), 'Command line to run'),
      kw('misc_timeout', int(0, 4294967295), 'Whole seconds before the script is killed'),
      kw('misc_dynamic', none(), 'Exit status 2..255 sets weight to status-2'),
      kw('user', words(), 'USER [[:]GROUP] to run as'),
    ],
  },
  networkChecker('SMTP_CHECK', [
    parsed('helo_name', str(), 'HELO name'),
    parsed('host', none(), 'Deprecated nesting: a host to check', { block: 'SMTP_CHECK.host', repeatable: true }),
  ]),
  { name: 'SMTP_CHECK.host', header: 'host', keywords: [...CHECK_CONNECTION] },
  networkChecker('DNS_CHECK', [
    parsed('type', oneOf(['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA']), 'Query type', { defaultValue: 'SOA' }),
    parsed('name', str(), 'Query name', { defaultValue: '.' }),
  ]),
  networkChecker('UDP_CHECK', [
    parsed('payload', str(), 'Hex payload to send'),
    parsed('require_reply', str(true), 'Reply required [hex pattern]'),
    parsed('min_reply_length', int(0, 65535), 'Shortest acceptable reply'),
    parsed('max_reply_length', int(0, 65535), 'Longest acceptable reply'),
  ]),
  networkChecker('PING_CHECK', []),
  {
    name: 'FILE_CHECK',
    header: 'FILE_CHECK',
    keywords: [parsed('track_file', str(), 'The track_file to follow'), parsed('weight', weight(-254, 254), 'Multiplier of the file\'s number')],
  },
  {
    name: 'BFD_CHECK',
    header: 'BFD_CHECK',
    keywords: [parsed('name', str(), 'The bfd_instance to follow'), parsed('alpha', bool(), 'Start down')],
  },
];


export const BFD_INSTANCE: BlockTable = {
  name: 'bfd_instance',
  header: 'bfd_instance NAME',
  keywords: [
    parsed('neighbor_ip', str(), 'Peer address', { aliases: [alias('neighbour_ip')] }),
    parsed('source_ip', str(), 'Local address'),
    parsed('min_rx', int(1, 1000000), 'Required receive interval (ms)', { defaultValue: '10' }),
    parsed('min_tx', int(1, 1000000), 'Desired transmit interval (ms)', { defaultValue: '10' }),
    parsed('idle_tx', int(1, 1000000), 'Transmit interval while down (ms)', { defaultValue: '1000' }),
    parsed('multiplier', int(1, 255), 'Detection multiplier', { defaultValue: '5' }),
    parsed('passive', none(), 'Wait for the peer to start'),
    parsed('ttl', int(1, 255), 'TTL / hop limit', { aliases: [alias('hoplimit')] }),
    parsed('max_hops', int(0, 255), 'Most hops accepted'),
    parsed('multihop', bool(), 'Multi-hop session'),
    parsed('weight', weight(-253, 253), 'Priority change when the session is down'),
    parsed('vrrp', none(), 'Only for VRRP'),
    parsed('checker', none(), 'Only for checkers'),
  ],
};
