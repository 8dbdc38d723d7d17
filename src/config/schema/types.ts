// The shape of a keyword table: what each keyword takes, as data. One table per block; the
// checker (check.ts) walks a block tree with them, docs/keywords.md is generated from them.

/** What the words after a keyword must be. */
export type ArgSpec =
  | { readonly kind: 'none' }
  /** keepalived's <BOOL>: optional on/off/true/false/yes/no, absent = true. */
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number; readonly optional?: boolean }
  /** Decimal seconds (µs resolution unless `digits` says otherwise). */
  | { readonly kind: 'seconds'; readonly min: number; readonly max: number; readonly optional?: boolean; readonly digits?: number }
  | { readonly kind: 'string'; readonly optional?: boolean }
  /** One of `values`; exact case unless `anyCase` (keepalived compares most words exactly). */
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly optional?: boolean; readonly anyCase?: boolean }
  /** A weight `N [reverse|noreverse]` with N in [min, max]. */
  | { readonly kind: 'weight'; readonly min: number; readonly max: number }
  | { readonly kind: 'ip' }
  /** Free-form words (command lines, option lists); at least `min`; the first one of `first` if given. */
  | { readonly kind: 'words'; readonly min: number; readonly first?: readonly string[] };

/** How each line of a value block (`virtual_ipaddress { ... }`) is read. */
export type LineGrammar =
  | 'address' // IP[/len] [brd X] [dev IF] [scope S] [label L] ...
  | 'route' // ip-route-like
  | 'rule' // ip-rule-like
  | 'name' // one name per line (sync group members, notification emails)
  | 'tracked' // NAME [weight N [reverse|noreverse]]
  | 'peer' // unicast peer: IP [min_ttl N] [max_ttl N]
  | 'vsg-entry' // virtual_server_group member: IP[-range] [PORT] | fwmark N
  | 'words'; // anything, kept as words

/** keepalived-ts acts on it ('implemented') or keeps it and warns once ('parsed'). */
export type Support = 'implemented' | 'parsed';

export interface KeywordSpec {
  readonly name: string;
  readonly args: ArgSpec;
  /** Name of the table that reads its `{ }` block (for nested blocks). */
  readonly block?: string;
  /** For value blocks: the grammar of every line. */
  readonly lines?: LineGrammar;
  /** The block is optional (`authentication` must have one, `url` too; `virtual_server` too). */
  readonly support: Support;
  /** Older spellings still accepted; `reported` ones make keepalived print a deprecation. */
  readonly aliases?: readonly { readonly name: string; readonly reported: boolean }[];
  /** May legitimately appear many times (real_server, url, notification lines ...). */
  readonly repeatable?: boolean;
  readonly defaultValue?: string;
  /** Still accepted, but keepalived warns on every use; this says what to use instead. */
  readonly deprecation?: string;
  readonly summary: string;
}

export interface BlockTable {
  /** The block's keyword, as written in a config (`vrrp_instance`). */
  readonly name: string;
  /** What the block's own arguments are (`vrrp_instance NAME`). */
  readonly header: string;
  readonly keywords: readonly KeywordSpec[];
}

// Terse constructors so the tables stay one line per keyword. They build data, nothing else.
export const none = (): ArgSpec => ({ kind: 'none' });
export const bool = (): ArgSpec => ({ kind: 'bool' });
export const int = (min: number, max: number, optional = false): ArgSpec => ({ kind: 'int', min, max, optional });
export const secs = (min: number, max: number, optional = false): ArgSpec => ({ kind: 'seconds', min, max, optional });
export const str = (optional = false): ArgSpec => ({ kind: 'string', optional });
export const oneOf = (values: readonly string[], optional = false): ArgSpec => ({ kind: 'enum', values, optional });
export const oneOfAnyCase = (values: readonly string[]): ArgSpec => ({ kind: 'enum', values, anyCase: true });
export const weight = (min: number, max: number): ArgSpec => ({ kind: 'weight', min, max });
/** Words whose first one must be one of `first` (`lvs_method DR`, `lvs_method TUN type gue port 6080`). */
export const wordsStartingWith = (first: readonly string[]): ArgSpec => ({ kind: 'words', min: 1, first });
export const ip = (): ArgSpec => ({ kind: 'ip' });
export const words = (min = 1): ArgSpec => ({ kind: 'words', min });

type Extra = Partial<Omit<KeywordSpec, 'name' | 'args' | 'support' | 'summary'>>;

/** A keyword keepalived-ts acts on. */
export const kw = (name: string, args: ArgSpec, summary: string, extra: Extra = {}): KeywordSpec => ({ name, args, support: 'implemented', summary, ...extra });
/** A keyword keepalived-ts accepts and keeps but does not act on yet. */
export const parsed = (name: string, args: ArgSpec, summary: string, extra: Extra = {}): KeywordSpec => ({ name, args, support: 'parsed', summary, ...extra });
/** An old spelling keepalived accepts silently. */
export const alias = (name: string) => ({ name, reported: false });
/** An old spelling keepalived accepts with a deprecation warning. */
export const deprecated = (name: string) => ({ name, reported: true });
