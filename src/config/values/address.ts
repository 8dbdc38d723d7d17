// One line of static_ipaddress / virtual_ipaddress / virtual_ipaddress_excluded:
// IP[/len] [brd IP|+|-] [dev IF] [scope S] [label L] [peer IP[/len]] [home] [-nodad]
// [mngtmpaddr] [noprefixroute] [autojoin] [no_track] [preferred_lft N|forever] [use_vmac]
// [track_group G], as keepalived.conf(5) lists it.
import type { Word } from '../tree.js';
import { type Family, parseIp, parsePrefix } from './ip.js';
import type { LineProblem, LineResult } from './line-result.js';

export interface AddressSpec {
  readonly address: string;
  readonly family: Family;
  readonly prefixLength: number;
  readonly broadcast?: string;
  readonly dev?: string;
  readonly scope?: string;
  readonly label?: string;
  readonly peer?: string;
  readonly preferredLifetime?: number | 'forever';
  readonly trackGroup?: string;
  /** Flag words as written: home, -nodad, mngtmpaddr, noprefixroute, autojoin, no_track, use_vmac. */
  readonly flags: readonly string[];
}

const FLAGS = new Set(['home', '-nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'no_track', 'use_vmac']);
const SCOPES = new Set(['site', 'link', 'host', 'nowhere', 'global']);
/** Option words that take one value, and what the address field is called. */
const VALUED = new Set(['brd', 'broadcast', 'dev', 'scope', 'label', 'peer', 'preferred_lft', 'track_group']);
export const ADDRESS_WORDS = [...FLAGS, ...VALUED];

export function parseAddressLine(words: readonly Word[]): LineResult<AddressSpec> {
  const problems: LineProblem[] = [];
  const first = words[0]!;
  const prefix = parsePrefix(first.text);
  if (!prefix) {
    return { problems: [{ code: 'KTS_BAD_ADDRESS', at: first, message: `'${first.text}' is not an IP address (IP[/len])` }] };
  }
  const spec: { -readonly [K in keyof AddressSpec]: AddressSpec[K] } = {
    address: prefix.address,
    family: prefix.family,
    prefixLength: prefix.prefixLength,
    flags: [],
  };
  const flags: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (FLAGS.has(word.text)) {
      flags.push(word.text);
      continue;
    }
    if (!VALUED.has(word.text)) {
      problems.push({ code: 'KTS_BAD_ADDRESS', at: word, message: `unknown address option '${word.text}'` });
      continue;
    }
    const value = words[i + 1];
    if (!value) {
      problems.push({ code: 'KTS_BAD_ADDRESS', at: word, message: `'${word.text}' needs a value` });
      break;
    }
    i++;
    switch (word.text) {
      case 'brd':
      case 'broadcast':
        if (value.text !== '+' && value.text !== '-' && !parseIp(value.text)) {
          problems.push({ code: 'KTS_BAD_ADDRESS', at: value, message: `invalid broadcast address '${value.text}'` });
        } else spec.broadcast = value.text;
        break;
      case 'dev':
        spec.dev = value.text;
        break;
      case 'scope':
        if (!SCOPES.has(value.text) && !/^\d+$/.test(value.text)) {
          problems.push({ code: 'KTS_BAD_ADDRESS', at: value, message: `invalid scope '${value.text}'`, hint: 'site, link, host, nowhere or global' });
        } else spec.scope = value.text;
        break;
      case 'label':
        spec.label = value.text;
        break;
      case 'peer':
        if (!parsePrefix(value.text)) problems.push({ code: 'KTS_BAD_ADDRESS', at: value, message: `invalid peer address '${value.text}'` });
        else spec.peer = value.text;
        break;
      case 'preferred_lft':
        if (value.text === 'forever') spec.preferredLifetime = 'forever';
        else if (/^\d+$/.test(value.text)) spec.preferredLifetime = Number(value.text);
        else problems.push({ code: 'KTS_BAD_ADDRESS', at: value, message: `invalid preferred_lft '${value.text}'` });
        break;
      case 'track_group':
        spec.trackGroup = value.text;
        break;
    }
  }
  spec.flags = flags;
  return { value: spec, problems };
}
