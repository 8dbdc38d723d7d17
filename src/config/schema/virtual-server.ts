// virtual_server IP PORT | fwmark N | group NAME { } (keepalived.conf(5) "LVS CONFIGURATION").
import { type BlockTable, alias, bool, int, kw, none, oneOf, oneOfAnyCase, parsed, str, words, wordsStartingWith } from './types.js';
import { CHECK_TIMING } from './checker-common.js';

export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'] as const;

/** `NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]` (case matters). */
export const LVS_METHOD = wordsStartingWith(['NAT', 'DR', 'TUN']);

export const VIRTUAL_SERVER: BlockTable = {
  name: 'virtual_server',
  header: 'virtual_server IP PORT | fwmark N | group NAME',
  keywords: [
    kw('lvs_sched', oneOf(SCHEDULERS), 'Scheduler', { aliases: [alias('lb_algo')], defaultValue: 'wlc' }),
    kw('lvs_method', LVS_METHOD, 'Forwarding: NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]', { aliases: [alias('lb_kind')], defaultValue: 'NAT' }),
    kw('protocol', oneOfAnyCase(['TCP', 'UDP', 'SCTP']), 'Service protocol', { defaultValue: 'TCP' }),
    kw('persistence_timeout', int(1, 2678400, true), 'Seconds of client affinity (alone: 360)'),
    kw('persistence_granularity', str(), 'Netmask grouping clients for persistence'),
    kw('persistence_engine', str(), 'Persistence engine (sip)'),
    kw('real_server', words(1), 'Backend: IP [PORT]', { block: 'real_server', repeatable: true }),
    kw('sorry_server', words(1), 'Fallback when no backend is up: IP [PORT]'),
    kw('sorry_server_inhibit', bool(), 'Inhibit the sorry server instead of removing it'),
    kw('sorry_server_lvs_method', LVS_METHOD, 'Forwarding for the sorry server'),
    kw('quorum', int(1, 2147483647), 'Weight needed for the service to be up', { defaultValue: '1' }),
    kw('hysteresis', int(0, 2147483647), 'Slack around quorum', { defaultValue: '0' }),
    kw('quorum_up', words(), 'Run when quorum is gained'),
    kw('quorum_down', words(), 'Run when quorum is lost'),
    kw('omega', none(), 'Run quorum_down at startup when below quorum'),
    kw('inhibit_on_failure', bool(), 'Set weight 0 instead of removing failed servers'),
    kw('ha_suspend', none(), 'Suspend checks while the VIP is absent'),
    kw('ops', none(), 'One-packet scheduling'),
    parsed('hashed', none(), 'sh/mh flag: hashed'),
    kw('flag-1', none(), 'Scheduler flag 1'),
    kw('flag-2', none(), 'Scheduler flag 2'),
    kw('flag-3', none(), 'Scheduler flag 3'),
    kw('sh-port', none(), 'sh: hash the port too'),
    kw('sh-fallback', none(), 'sh: fall back when the server is down'),
    kw('mh-port', none(), 'mh: hash the port too'),
    kw('mh-fallback', none(), 'mh: fall back when the server is down'),
    kw('ip_family', oneOf(['inet', 'inet6']), 'Family of a fwmark or tunnel-only service'),
    parsed('weight', int(1, 2147483647), 'Virtual server weight'),
    ...CHECK_TIMING,
  ],
};
