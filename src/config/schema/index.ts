// Every keyword table by block name, and lookups over them.
import { AUTH_HMAC, AUTHENTICATION } from './authentication.js';
import { BFD_INSTANCE } from './bfd-instance.js';
import { BFD_CHECK } from './checker-bfd.js';
import { DNS_CHECK } from './checker-dns.js';
import { FILE_CHECK } from './checker-file.js';
import { HTTP_GET, HTTP_GET_URL, SSL_GET, SSL_GET_URL } from './checker-http.js';
import { MISC_CHECK } from './checker-misc.js';
import { PING_CHECK } from './checker-ping.js';
import { SMTP_CHECK, SMTP_CHECK_HOST } from './checker-smtp.js';
import { TCP_CHECK } from './checker-tcp.js';
import { UDP_CHECK } from './checker-udp.js';
import { GARP_GROUP } from './garp-group.js';
import { GLOBAL_DEFS } from './global-defs.js';
import { absentIn227 } from './keepalived-227.js';
import { REAL_SERVER } from './real-server.js';
import { ROOT } from './root.js';
import { SSL } from './ssl.js';
import { TRACK_FILE } from './track-file.js';
import { TRACK_GROUP } from './track-group.js';
import type { BlockTable, KeywordSpec } from './types.js';
import { VIRTUAL_SERVER } from './virtual-server.js';
import { VRRP_INSTANCE } from './vrrp-instance.js';
import { VRRP_SCRIPT } from './vrrp-script.js';
import { VRRP_SYNC_GROUP } from './vrrp-sync-group.js';
import { VRRP_TRACK_PROCESS } from './vrrp-track-process.js';

export const TABLES: readonly BlockTable[] = [
  ROOT,
  GLOBAL_DEFS,
  VRRP_INSTANCE,
  AUTHENTICATION,
  AUTH_HMAC,
  VRRP_SYNC_GROUP,
  VRRP_SCRIPT,
  TRACK_FILE,
  VRRP_TRACK_PROCESS,
  VIRTUAL_SERVER,
  REAL_SERVER,
  HTTP_GET,
  HTTP_GET_URL,
  SSL_GET,
  SSL_GET_URL,
  TCP_CHECK,
  MISC_CHECK,
  SMTP_CHECK,
  SMTP_CHECK_HOST,
  DNS_CHECK,
  UDP_CHECK,
  PING_CHECK,
  FILE_CHECK,
  BFD_CHECK,
  BFD_INSTANCE,
  SSL,
  GARP_GROUP,
  TRACK_GROUP,
];

export const TABLE_BY_NAME: ReadonlyMap<string, BlockTable> = new Map(TABLES.map((t) => [t.name, t]));

export interface KeywordLookup {
  readonly spec: KeywordSpec;
  /** Set when the word was an older spelling of spec.name. */
  readonly alias?: { readonly name: string; readonly reported: boolean };
  /** keepalived 2.2.7 does not know the keyword in this block (see keepalived-227.ts). */
  readonly absentIn227: boolean;
}

const lookups = new Map<string, ReadonlyMap<string, KeywordLookup>>(
  TABLES.map((table) => {
    const byWord = new Map<string, KeywordLookup>();
    for (const spec of table.keywords) {
      const absent = absentIn227(table.name, spec.name);
      byWord.set(spec.name, { spec, absentIn227: absent });
      for (const a of spec.aliases ?? []) byWord.set(a.name, { spec, alias: a, absentIn227: absent });
    }
    return [table.name, byWord];
  }),
);

const NO_KEYWORDS: ReadonlyMap<string, KeywordLookup> = new Map();

/** The words a block accepts, each with its spec: for looking up every statement of one block. */
export function keywordsOf(tableName: string): ReadonlyMap<string, KeywordLookup> {
  return lookups.get(tableName) ?? NO_KEYWORDS;
}

export function lookupKeyword(tableName: string, word: string): KeywordLookup | undefined {
  return keywordsOf(tableName).get(word);
}

/** Every word a block accepts (names and aliases), for "did you mean" hints. */
export function wordsOf(tableName: string): readonly string[] {
  return [...(lookups.get(tableName)?.keys() ?? [])];
}
