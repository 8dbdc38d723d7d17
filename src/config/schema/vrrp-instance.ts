// vrrp_instance NAME { }: one virtual router (keepalived.conf(5) "VRRP instance").
import { type BlockTable, alias, bool, deprecated, int, ip, kw, none, oneOf, parsed, secs, str, weight, words } from './types.js';

const notify = (name: string, summary: string) => kw(name, words(), `${summary}: "cmd args" [user [group]]`);

export const VRRP_INSTANCE: BlockTable = {
  name: 'vrrp_instance',
  header: 'vrrp_instance NAME',
  keywords: [
    kw('state', oneOf(['MASTER', 'BACKUP']), 'Initial state', { defaultValue: 'BACKUP' }),
    kw('interface', str(), 'Interface adverts are sent on'),
    kw('virtual_router_id', int(1, 255), 'VRID, unique per interface and family'),
    kw('priority', int(1, 255), 'Election priority; 255 = address owner', { defaultValue: '100' }),
    kw('advert_int', secs(0.01, 255), 'Advert interval in seconds (v2: whole seconds, v3: 10 ms steps)', { defaultValue: '1' }),
    kw('virtual_ipaddress', none(), 'Addresses carried by the router, one per line', { lines: 'address' }),
    kw('virtual_ipaddress_excluded', none(), 'Addresses moved with the router but not in adverts', { lines: 'address' }),
    kw('virtual_routes', none(), 'Routes moved with the router', { lines: 'route' }),
    kw('virtual_rules', none(), 'Policy rules moved with the router', { lines: 'rule' }),
    kw('authentication', none(), 'VRRPv2 authentication (auth_type, auth_pass)', { block: 'authentication' }),
    kw('track_script', none(), 'Scripts that adjust priority: NAME [weight N [reverse]]', { lines: 'tracked' }),
    kw('track_interface', none(), 'Interfaces whose failure faults or reweighs the router', { lines: 'tracked' }),
    kw('track_file', none(), 'Tracked files: NAME [weight N [reverse]]', { lines: 'tracked' }),
    parsed('track_process', none(), 'Tracked processes: NAME [weight N [reverse]]', { lines: 'tracked' }),
    parsed('track_bfd', none(), 'Tracked BFD sessions: NAME [weight N [reverse]]', { lines: 'tracked' }),
    kw('nopreempt', none(), 'Do not take over from a lower-priority master'),
    kw('preempt', none(), 'Take over from a lower-priority master (default)'),
    kw('preempt_delay', secs(0, 1000), 'Delay before preempting after start', { defaultValue: '0' }),
    kw('unicast_src_ip', ip(), 'Source address of unicast adverts'),
    kw('unicast_peer', none(), 'Unicast peers: IP [min_ttl N] [max_ttl N]', { lines: 'peer' }),
    kw('mcast_src_ip', ip(), 'Source address of multicast adverts'),
    parsed('mcast_dst_ip', ip(), 'Alternative multicast group'),
    notify('notify_master', 'Run on becoming MASTER'),
    notify('notify_backup', 'Run on becoming BACKUP'),
    notify('notify_fault', 'Run on entering FAULT'),
    notify('notify_stop', 'Run when the instance stops'),
    kw('notify', words(), 'Run on every state change with INSTANCE NAME STATE PRIORITY appended'),
    parsed('notify_deleted', words(0), 'Run when the instance is removed on reload'),
    parsed('notify_master_rx_lower_pri', words(), 'Run when MASTER hears a lower priority'),
    parsed('smtp_alert', bool(), 'Email on state changes'),
    kw('garp_master_delay', int(0, 4294), 'Seconds before the second GARP burst', { defaultValue: '5' }),
    kw('garp_master_repeat', int(1, 4294967295), 'GARPs per burst', { defaultValue: '5' }),
    kw('garp_master_refresh', int(0, 4294967295), 'Seconds between GARP refreshes (0 = off)', { defaultValue: '0' }),
    kw('garp_master_refresh_repeat', int(1, 4294967295), 'GARPs per refresh', { defaultValue: '1' }),
    parsed('garp_lower_prio_delay', int(0, 4294), 'GARP delay after a lower-priority advert'),
    parsed('garp_lower_prio_repeat', int(0, 4294967295), 'GARP repeat after a lower-priority advert'),
    parsed('garp_extra_if', words(), '[all] SECS: GARPs on a VMAC\'s base interface', { aliases: [deprecated('vmac_garp_intvl')] }),
    kw('version', int(2, 3), 'VRRP version of this instance'),
    parsed('use_vmac', words(0), 'Use a macvlan with the VRRP MAC: [NAME] [MAC]'),
    parsed('use_vmac_addr', none(), 'Keep the VMAC\'s address'),
    parsed('vmac_xmit_base', none(), 'Send adverts on the base interface'),
    parsed('use_ipvlan', words(0), 'Use an ipvlan interface'),
    parsed('dont_track_primary', none(), 'Ignore faults of the instance\'s own interface'),
    parsed('track_src_ip', none(), 'FAULT when the source address vanishes'),
    kw('check_unicast_src', none(), 'Accept unicast adverts only from listed peers'),
    parsed('unicast_fault_no_peer', none(), 'FAULT when unicast has no peers'),
    kw('unicast_ttl', int(1, 255), 'TTL of unicast adverts', { defaultValue: '255' }),
    parsed('old_unicast_checksum', str(true), 'Pre-2.0 unicast checksum [never]'),
    kw('accept', none(), 'Accept traffic to VIPs when MASTER'),
    kw('no_accept', none(), 'Drop traffic to VIPs (RFC 5798 default in strict mode)'),
    kw('strict_mode', bool(), 'vrrp_strict for this instance'),
    kw('skip_check_adv_addr', bool(), 'Skip VIP-list check of adverts from the current master'),
    kw('v3_checksum_as_v2', bool(), 'VRRPv3 IPv4 checksum without pseudo-header'),
    kw('no_virtual_ipaddress', none(), 'Allow an instance with no VIPs'),
    parsed('promote_secondaries', none(), 'Set promote_secondaries on the interface'),
    parsed('lower_prio_no_advert', bool(), 'No advert in reply to a lower-priority one'),
    parsed('higher_prio_send_advert', bool(), 'Advert when a higher priority is heard'),
    parsed('owner_ignore_adverts', none(), 'Owner ignores other adverts'),
    parsed('down_timer_adverts', int(1, 100), 'Adverts missed before master-down', { defaultValue: '3' }),
    parsed('timer_expired_backup', int(0, 255, true), 'Go BACKUP if the timer fired too late [PRIO]', { aliases: [alias('thread_timer_expired')] }),
    parsed('lvs_sync_daemon_interface', str(), 'Old per-instance IPVS sync daemon interface (use global lvs_sync_daemon)'),
    parsed('auth_hmac', none(), 'HMAC-SHA256 advert authentication', { block: 'auth_hmac' }),
    parsed('kernel_rx_buf_size', int(0, 4294967295), 'Receive buffer of the instance socket'),
    parsed('linkbeat_use_polling', none(), 'Deprecated here: poll carrier'),
    parsed('native_ipv6', none(), 'Deprecated: IPv6 instance'),
    parsed('vrf', str(), 'VRF the interface belongs to'),
    parsed('debug', int(0, 4, true), 'No effect'),
    parsed('notify_priority_changes', bool(), 'Report priority changes'),
  ],
};

export const AUTHENTICATION: BlockTable = {
  name: 'authentication',
  header: 'authentication',
  keywords: [
    kw('auth_type', oneOf(['PASS', 'AH']), 'PASS (simple text) or AH (IPSEC-AH)'),
    kw('auth_pass', str(), 'Password, first 8 characters used'),
  ],
};

export const AUTH_HMAC: BlockTable = {
  name: 'auth_hmac',
  header: 'auth_hmac',
  keywords: [
    parsed('key', words(2), 'ID hex:...|file:...|STRING', { repeatable: true }),
    parsed('active_key', int(0, 255), 'Key ID used to sign'),
    parsed('anti_replay', oneOf(['time', 'monotonic']), 'Replay protection'),
    parsed('time_window', int(1, 300), 'Freshness window in seconds'),
    parsed('mode', oneOf(['enforce', 'permissive', 'receive-only']), 'Verification mode', { defaultValue: 'enforce' }),
  ],
};

export const VRRP_SYNC_GROUP: BlockTable = {
  name: 'vrrp_sync_group',
  header: 'vrrp_sync_group NAME',
  keywords: [
    kw('group', none(), 'Member instances, one per line', { lines: 'name' }),
    notify('notify_master', 'Run when the group becomes MASTER'),
    notify('notify_backup', 'Run when the group becomes BACKUP'),
    notify('notify_fault', 'Run when the group enters FAULT'),
    notify('notify_stop', 'Run when the group stops'),
    kw('notify', words(), 'Run on every change with GROUP NAME STATE PRIORITY appended'),
    parsed('track_interface', none(), 'Group-level tracked interfaces', { lines: 'tracked' }),
    parsed('track_script', none(), 'Group-level tracked scripts', { lines: 'tracked' }),
    parsed('track_file', none(), 'Group-level tracked files', { lines: 'tracked' }),
    parsed('track_process', none(), 'Group-level tracked processes', { lines: 'tracked' }),
    parsed('track_bfd', none(), 'Group-level tracked BFD sessions', { lines: 'tracked' }),
    parsed('smtp_alert', bool(), 'Email on state changes'),
    parsed('notify_priority_changes', bool(), 'Report priority changes'),
    parsed('global_tracking', none(), 'Deprecated: members share tracking'),
    parsed('sync_group_tracking_weight', none(), 'Allow weighted trackers in members'),
  ],
};

export const VRRP_SCRIPT: BlockTable = {
  name: 'vrrp_script',
  header: 'vrrp_script NAME',
  keywords: [
    kw('script', words(), 'Command line to run'),
    kw('interval', int(1, 4294), 'Whole seconds between runs', { defaultValue: '1' }),
    kw('timeout', int(1, 4294967295), 'Whole seconds before a run counts as failed', { defaultValue: 'interval' }),
    kw('weight', weight(-253, 253), 'Priority change on success (>0) or failure (<0)', { defaultValue: '0' }),
    kw('fall', int(1, 2147483647), 'Failures before KO', { defaultValue: '1' }),
    kw('rise', int(1, 2147483647), 'Successes before OK', { defaultValue: '1' }),
    kw('user', words(), 'USER [[:]GROUP] to run as', { defaultValue: 'script_user' }),
    kw('init_fail', none(), 'Start in the failed state'),
  ],
};

export const TRACK_FILE: BlockTable = {
  name: 'track_file',
  header: 'track_file NAME',
  keywords: [
    kw('file', str(), 'Path of the file holding a number'),
    kw('weight', weight(-254, 254), 'Multiplier of the number in the file', { defaultValue: '1' }),
    parsed('init_file', words(0), 'Create the file: [VALUE] [overwrite]'),
  ],
};

export const VRRP_TRACK_PROCESS: BlockTable = {
  name: 'vrrp_track_process',
  header: 'vrrp_track_process NAME',
  keywords: [
    parsed('process', words(), 'Process name [args...]'),
    parsed('param_match', oneOf(['initial', 'partial']), 'How arguments match'),
    parsed('weight', weight(-254, 254), 'Priority change when the quorum is lost'),
    parsed('quorum', int(1, 65535), 'Processes needed', { defaultValue: '1' }),
    parsed('quorum_max', int(1, 65535), 'Most processes allowed'),
    parsed('delay', secs(0.000001, 3600), 'Delay before reporting a change'),
    parsed('fork_delay', secs(0.000001, 3600), 'Delay after a fork'),
    parsed('terminate_delay', secs(0.000001, 3600), 'Delay after a termination'),
    parsed('full_command', none(), 'Match the full command line'),
  ],
};
