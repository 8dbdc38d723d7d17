// Top-level keywords of keepalived.conf: the blocks and the few root-level settings.
import { type BlockTable, alias, kw, none, parsed, secs, str, words } from './types.js';

export const ROOT: BlockTable = {
  name: 'root',
  header: '(top level)',
  keywords: [
    kw('global_defs', none(), 'Process-wide settings', { block: 'global_defs', repeatable: true }),
    kw('vrrp_instance', str(), 'A VRRP router', { block: 'vrrp_instance', repeatable: true }),
    kw('vrrp_script', str(), 'A health script instances can track', { block: 'vrrp_script', repeatable: true }),
    kw('vrrp_sync_group', str(), 'Instances that change state together', { block: 'vrrp_sync_group', repeatable: true }),
    kw('track_file', str(), 'A file whose number instances can track', { block: 'track_file', repeatable: true, aliases: [alias('vrrp_track_file')] }),
    kw('vrrp_track_process', str(), 'A process whose presence instances can track', { block: 'vrrp_track_process', repeatable: true }),
    kw('virtual_server', words(1), 'An IPVS service: IP PORT | fwmark N | group NAME', { block: 'virtual_server', repeatable: true }),
    kw('virtual_server_group', str(), 'Addresses sharing one virtual_server definition', { repeatable: true, lines: 'vsg-entry' }),
    kw('static_ipaddress', none(), 'Addresses set at startup, not tied to VRRP', { lines: 'address', repeatable: true }),
    kw('static_routes', none(), 'Routes set at startup', { lines: 'route', repeatable: true }),
    kw('static_rules', none(), 'Policy rules set at startup', { lines: 'rule', repeatable: true }),
    parsed('bfd_instance', str(), 'A BFD session', { block: 'bfd_instance', repeatable: true }),
    kw('SSL', none(), 'Client TLS context for SSL_GET', { block: 'SSL' }),
    parsed('garp_group', none(), 'GARP/NA rate limits for interfaces', { block: 'garp_group', repeatable: true }),
    parsed('track_group', str(), 'Instances that static addresses/routes/rules follow', { block: 'track_group', repeatable: true }),
    parsed('linkbeat_interfaces', none(), 'Interfaces whose carrier is polled: IF [MII|ETHTOOL|IOCTL]', { lines: 'words', repeatable: true }),
    parsed('interface_up_down_delays', none(), 'Debounce interface flaps: IF DOWN [UP]', { lines: 'words', repeatable: true }),
    parsed('net_namespace', str(), 'Run in this network namespace'),
    parsed('net_namespace_ipvs', str(true), 'Network namespace for IPVS'),
    parsed('namespace_with_ipsets', none(), 'Use ipsets inside the namespace'),
    parsed('instance', str(), 'Instance name for pid files'),
    parsed('use_pid_dir', none(), 'Pid files under /run/keepalived'),
    parsed('child_wait_time', secs(0, 3600), 'Seconds to wait for children at shutdown'),
    parsed('linkbeat_use_polling', none(), 'Poll carrier instead of netlink'),
  ],
};
