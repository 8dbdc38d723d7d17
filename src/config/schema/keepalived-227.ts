// Keywords in the tables (taken from keepalived's current parser) that Debian 12's keepalived
// 2.2.7 rejects as "Unknown keyword": added after 2.2.7, or left out of Debian's build. Measured
// by running `keepalived -t` on each keyword in its block. keepalived-ts accepts them, but reports
// them so `-t` fails exactly where the keepalived it replaces would.
export const ABSENT_IN_KEEPALIVED_227: Readonly<Record<string, readonly string[]>> = {
  global_defs: [
    'v3_checksum_as_v2', 'vrrp_owner_ignore_adverts', 'vrrp_delay_after_boot', 'vrrp_ipsets', 'set_supplementary_groups',
    'use_symlink_paths', 'snmp_vs_stats_update_interval', 'snmp_rs_stats_update_interval', 'dbus_no_interface_name',
    'state_dump_file', 'stats_dump_file', 'json_dump_file', 'json_version', 'iproute_usr_dir', 'iproute_etc_dir',
    'linkbeat_use_polling',
  ],
  vrrp_instance: ['v3_checksum_as_v2', 'no_virtual_ipaddress', 'owner_ignore_adverts', 'timer_expired_backup', 'auth_hmac'],
  SSL_GET: ['sni_name', 'tls_compliant'],
  'SSL_GET.url': ['tls_compliant'],
  bfd_instance: ['multihop'],
};

export function absentIn227(table: string, keyword: string): boolean {
  return ABSENT_IN_KEEPALIVED_227[table]?.includes(keyword) ?? false;
}
