// Every keyword table by block name, and lookups over them.
import { GLOBAL_DEFS } from './global-defs.js';
import { GARP_GROUP, ROOT, SSL, TRACK_GROUP } from './root.js';
import type { BlockTable, KeywordSpec } from './types.js';
import { BFD_INSTANCE, CHECKER_TABLES, REAL_SERVER, VIRTUAL_SERVER } from './virtual-server.js';
import { AUTH_HMAC, AUTHENTICATION, TRACK_FILE, VRRP_INSTANCE, VRRP_SCRIPT, VRRP_SYNC_GROUP, VRRP_TRACK_PROCESS } from './vrrp-instance.js';

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
  ...CHECKER_TABLES,
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
}

const lookups = new Map<string, ReadonlyMap<string, KeywordLookup>>(
  TABLES.map((table) => {
    const byWord = new Map<string, KeywordLookup>();
    for (const spec of table.keywords) {
      byWord.set(spec.name, { spec });
      for (const a of spec.aliases ?? []) byWord.set(a.name, { spec, alias: a });
    }
    return [table.name, byWord];
  }),
);

export function lookupKeyword(tableName: string, word: string): KeywordLookup | undefined {
  return lookups.get(tableName)?.get(word);
}

/** Every word a block accepts (names and aliases), for "did you mean" hints. */
export function wordsOf(tableName: string): readonly string[] {
  return [...(lookups.get(tableName)?.keys() ?? [])];
}
