// THE registry of config diagnostic codes. Every diagnostic the loader can emit has its code
// here, with its severity, a one-line summary and whether keepalived itself reports the same
// condition as a configuration error (which is what makes `keepalived -t` exit non-zero).
// docs/diagnostics.md documents every code; a unit test keeps the two in step.
import type { Severity } from './diagnostics.js';
import { LEXICAL_CODES } from './codes-lexical.js';

export interface CodeInfo {
  readonly severity: Severity;
  readonly summary: string;
  /**
   * True when keepalived 2.2.7 reports the condition too, so `-t` must fail the way keepalived's
   * does. False for keepalived-ts's own extra advice (keepalived accepts the config silently).
   */
  readonly keepalivedReports?: boolean;
}

const SCHEMA_CODES = {
  KTS_UNKNOWN_KEYWORD: { severity: 'error', summary: 'Keyword not valid in this block; it is ignored (with its block, if any).', keepalivedReports: true },
  KTS_MISSING_ARGUMENT: { severity: 'error', summary: 'Keyword needs an argument that is missing; the statement is ignored.', keepalivedReports: true },
  KTS_EXTRA_ARGUMENTS: { severity: 'warning', summary: 'More arguments than the keyword takes; keepalived ignores the rest silently.' },
  KTS_INVALID_VALUE: { severity: 'error', summary: 'Argument has the wrong type or is not one of the accepted words; the statement is ignored.', keepalivedReports: true },
  KTS_OUT_OF_RANGE: { severity: 'warning', summary: 'Number outside the range keepalived accepts; the default is kept (keepalived warns and runs).', keepalivedReports: true },
  KTS_BLOCK_EXPECTED: { severity: 'error', summary: 'Keyword must open a `{ }` block.', keepalivedReports: true },
  KTS_UNEXPECTED_BLOCK: { severity: 'error', summary: 'Keyword does not take a `{ }` block; the block is ignored.', keepalivedReports: true },
  KTS_DUPLICATE_KEYWORD: { severity: 'warning', summary: 'Setting given twice in one block; the last one wins (keepalived says nothing).' },
  KTS_DUPLICATE_NAME: { severity: 'error', summary: 'Two blocks of the same kind share a name; the later one is ignored.', keepalivedReports: true },
  KTS_NOT_IN_KEEPALIVED_227: { severity: 'warning', summary: 'Keyword of a later keepalived (or one Debian does not build); keepalived-ts accepts it, keepalived 2.2.7 rejects it as unknown.', keepalivedReports: true },
  KTS_ALIAS: { severity: 'info', summary: 'Old spelling accepted silently by keepalived; the canonical name is shown.' },
  KTS_DEPRECATED: { severity: 'warning', summary: 'Deprecated keyword or word; keepalived still accepts it but warns.', keepalivedReports: true },
  KTS_NOT_IMPLEMENTED: { severity: 'warning', summary: 'Parsed and kept in the model, but keepalived-ts does not act on it yet (reported once per keyword).' },
  KTS_MISSING_REQUIRED: { severity: 'error', summary: 'A required setting is missing from the block (e.g. virtual_router_id, interface).', keepalivedReports: true },
  KTS_BAD_ADDRESS: { severity: 'error', summary: 'Address line in an address block is not valid; the line is skipped.', keepalivedReports: true },
  KTS_BAD_ROUTE: { severity: 'error', summary: 'Route line is not valid; the route is skipped.', keepalivedReports: true },
  KTS_BAD_RULE: { severity: 'error', summary: 'Rule line is not valid; the rule is skipped.', keepalivedReports: true },
  KTS_ROUTE_UNTRACKED: { severity: 'warning', summary: 'A virtual route without `dev` cannot be tracked by its instance.', keepalivedReports: true },
  KTS_RULE_NO_PREFERENCE: { severity: 'warning', summary: 'Rule without preference gets an automatic one, probably not what was meant.', keepalivedReports: true },
  KTS_NO_VIPS: { severity: 'warning', summary: 'vrrp_instance has no virtual_ipaddress (use no_virtual_ipaddress to mean it).', keepalivedReports: true },
  KTS_UNDEFINED_REFERENCE: { severity: 'error', summary: 'A tracked script/file/process, sync group member or virtual_server group does not exist.', keepalivedReports: true },
  KTS_SYNC_GROUP_SINGLE: { severity: 'warning', summary: 'vrrp_sync_group has only one member, which is probably not what was meant.', keepalivedReports: true },
  KTS_EMPTY_VS_GROUP: { severity: 'error', summary: 'virtual_server_group has no entries; it is removed.', keepalivedReports: true },
  KTS_VS_GROUP_UNDEFINED: { severity: 'warning', summary: 'virtual_server names a virtual_server_group that does not exist; keepalived silently configures nothing for it.' },
  KTS_EMPTY_SYNC_GROUP: { severity: 'warning', summary: 'vrrp_sync_group has no members (legacy member list without `group { }`?); it is removed and the daemon runs, as keepalived\'s does.', keepalivedReports: true },
  KTS_SYNC_GROUP_BARE_MEMBER: { severity: 'warning', summary: 'vrrp_sync_group lists an instance outside `group { }`; keepalived reports it as an unknown keyword and ignores it, and so do we.', keepalivedReports: true },
  KTS_SCRIPT_WITHOUT_COMMAND: { severity: 'error', summary: 'vrrp_script has no `script`; it is removed.', keepalivedReports: true },
  KTS_VRID_CONFLICT: { severity: 'error', summary: 'Two instances use the same VRID on the same interface and address family.', keepalivedReports: true },
  KTS_IGNORED_SETTING: { severity: 'warning', summary: 'Setting has no effect together with another one (e.g. promote_secondaries with use_vmac) and is ignored.', keepalivedReports: true },
  KTS_VALUE_TRUNCATED: { severity: 'warning', summary: 'Value beyond what keepalived uses is cut down (auth_pass to 8 characters, a tracked script/interface weight of ±254 to ±253).', keepalivedReports: true },
  KTS_ADDRESS_FAMILY: { severity: 'error', summary: 'Address of the other family from the instance (first VIP decides); it is ignored.', keepalivedReports: true },
  KTS_VS_NO_REAL_SERVERS: { severity: 'warning', summary: 'virtual_server has no real_server; it is ignored.', keepalivedReports: true },
  KTS_REGEX_OPTION_UNSUPPORTED: { severity: 'warning', summary: 'A url\'s regex_options names a PCRE2 option JavaScript\'s RegExp cannot honour (ungreedy, extended, firstline, ...); the regex runs without it.' },
  KTS_REGEX_NOT_JAVASCRIPT: { severity: 'warning', summary: 'A url\'s regex uses PCRE2-only syntax: it does not compile as a JavaScript RegExp (that checker is disabled), or an escape such as \\A means something else (mostly the plain letter) in JavaScript.' },
  KTS_CHECKER_NO_URL: { severity: 'error', summary: 'HTTP_GET/SSL_GET without any `url { }`; the checker is ignored (keepalived 2.2.7 crashes on it).', keepalivedReports: true },
  KTS_NOPREEMPT_MASTER: { severity: 'warning', summary: 'nopreempt does not work with initial state MASTER; it is cleared.', keepalivedReports: true },
  KTS_ADVERT_INT_ROUNDED: { severity: 'warning', summary: 'advert_int is rounded: VRRPv2 to whole seconds, VRRPv3 to 10 ms steps.', keepalivedReports: true },
  KTS_UNICAST_FAMILY: { severity: 'error', summary: 'Unicast peer has a different address family from the instance; it is skipped.', keepalivedReports: true },
  KTS_UNICAST_NO_PEERS: { severity: 'warning', summary: 'Unicast keyword given without any unicast peer; multicast is used.', keepalivedReports: true },
  KTS_STRICT_CONFLICT: { severity: 'warning', summary: 'Setting not allowed with vrrp_strict / strict_mode: authentication is ignored, state MASTER without priority 255 starts as BACKUP (as keepalived, which warns and runs).', keepalivedReports: true },
  KTS_NFTABLES_NAME: { severity: 'warning', summary: 'nftables table name is not a plain nft identifier: keepalived-ts writes it into nft\'s script text, so it uses the default table keepalived instead (keepalived 2.2.7 accepts any name silently).' },
  KTS_STRICT_UNICAST: { severity: 'warning', summary: 'Unicast peers with vrrp_strict / strict_mode: RFC 5798 has no unicast, but keepalived 2.2.7 runs it silently (measured), and so do we.' },
  KTS_AUTH_AH_MASTER: { severity: 'warning', summary: 'Initial state MASTER is incompatible with AH authentication; state is cleared.', keepalivedReports: true },
  KTS_INTERFACE_MISSING: { severity: 'error', summary: 'Interface named in the config does not exist in the running network namespace.', keepalivedReports: true },
  KTS_INTERFACE_LOOPBACK: { severity: 'error', summary: 'VRRP cannot run on a loopback interface.', keepalivedReports: true },
  KTS_VS_DEFAULTED: { severity: 'warning', summary: 'virtual_server lacks a forwarding method, scheduler or protocol; keepalived sets a default (NAT / wlc / UDP).', keepalivedReports: true },
  KTS_QUORUM_ADJUSTED: { severity: 'warning', summary: 'quorum above the real servers\' total weight, or hysteresis not below quorum; keepalived lowers it.', keepalivedReports: true },
  KTS_VS_FWMARK_PROTOCOL: { severity: 'warning', summary: 'protocol given for a fwmark virtual_server; it is ignored.', keepalivedReports: true },
  KTS_SCRIPT_NOT_FOUND: { severity: 'warning', summary: 'Notify or checker script executable not found; keepalived drops it silently.' },
  KTS_VRRP_SCRIPT_NOT_FOUND: { severity: 'error', summary: 'vrrp_script executable not found or not accessible; the script is disabled.', keepalivedReports: true },
  KTS_SCRIPT_USER_UNKNOWN: { severity: 'error', summary: 'Script user (script_user, user or the default keepalived_script) does not exist; the script is removed.', keepalivedReports: true },
  KTS_SCRIPT_INSECURE: { severity: 'error', summary: 'Script is writable by a non-root user while run as root under enable_script_security; it is removed.', keepalivedReports: true },
  KTS_SCRIPT_SECURITY: { severity: 'error', summary: 'Scripts are configured but enable_script_security is not set (`-t` exits with the security status).', keepalivedReports: true },
} as const satisfies Record<string, CodeInfo>;

/** Lexical errors (unclosed blocks, bad quotes, ...) are ones keepalived reports too. */
const lexical = Object.fromEntries(
  Object.entries(LEXICAL_CODES).map(([code, info]) => [code, { ...info, keepalivedReports: info.severity === 'error' }]),
);

export const CODES: Readonly<Record<string, CodeInfo>> = { ...lexical, ...SCHEMA_CODES };

export type SchemaCode = keyof typeof SCHEMA_CODES;
