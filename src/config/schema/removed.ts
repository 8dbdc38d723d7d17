// Words people still write that keepalived does not accept (removed, or documented but never
// parsed), with what to write instead: the unknown-keyword diagnostic gives these as its hint.
export const REMOVED_KEYWORDS: Readonly<Record<string, string>> = {
  lvs_id: 'removed in keepalived 1.2.20: use `router_id` in global_defs',
  state_file_location: 'documented in keepalived.conf(5) but not parsed: use `state_dump_file`',
  stats_file_location: 'documented in keepalived.conf(5) but not parsed: use `stats_dump_file`',
  json_file_location: 'documented in keepalived.conf(5) but not parsed: use `json_dump_file`',
  dynamic: 'FILE_CHECK `dynamic` is documented but not parsed by keepalived',
};
