// One line of static_rules / virtual_rules, shaped like `ip rule add` arguments.
import type { Word } from '../tree.js';
import { type Family, parsePrefix } from './ip.js';
import type { LineProblem, LineResult } from './line-result.js';

export interface RuleSpec {
  readonly from?: string;
  readonly to?: string;
  readonly family?: Family;
  readonly table?: string;
  readonly preference?: number;
  readonly options: readonly (readonly [string, string | undefined])[];
}

const FLAG_WORDS = new Set(['inet', 'inet6', 'l3mdev', 'no_track', 'not']);
const TYPE_WORDS = new Set(['unicast', 'blackhole', 'unreachable', 'prohibit', 'nop']);
const VALUED_WORDS = new Set([
  'from', 'to', 'table', 'lookup', 'iif', 'oif', 'tos', 'dsfield', 'fwmark', 'preference', 'priority', 'order', 'realms', 'goto',
  'suppress_prefixlength', 'sup_pl', 'suppress_ifgroup', 'sup_group', 'uidrange', 'protocol', 'ipproto', 'sport', 'dport',
  'tunnel-id', 'type', 'track_group',
]);
export const RULE_WORDS = [...FLAG_WORDS, ...TYPE_WORDS, ...VALUED_WORDS];

export function parseRuleLine(words: readonly Word[]): LineResult<RuleSpec> {
  const problems: LineProblem[] = [];
  const options: [string, string | undefined][] = [];
  const found: Record<string, string> = {};
  let family: Family | undefined;
  let usable = true;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (FLAG_WORDS.has(word.text) || TYPE_WORDS.has(word.text)) {
      options.push([word.text, undefined]);
      continue;
    }
    if (!VALUED_WORDS.has(word.text)) {
      problems.push({ code: 'KTS_BAD_RULE', at: word, message: `unknown rule option '${word.text}'` });
      usable = false;
      continue;
    }
    const value = words[++i];
    if (!value) {
      problems.push({ code: 'KTS_BAD_RULE', at: word, message: `'${word.text}' needs a value` });
      usable = false;
      break;
    }
    if (word.text === 'from' || word.text === 'to') {
      const prefix = value.text === 'all' ? undefined : parsePrefix(value.text);
      if (value.text !== 'all' && !prefix) {
        problems.push({ code: 'KTS_BAD_RULE', at: value, message: `invalid rule ${word.text} address '${value.text}'` });
        usable = false;
        continue;
      }
      if (prefix) family ??= prefix.family;
    }
    const canonical = word.text === 'lookup' ? 'table' : word.text === 'priority' || word.text === 'order' ? 'preference' : word.text;
    if (canonical === 'preference' && !/^\d+$/.test(value.text)) {
      problems.push({ code: 'KTS_BAD_RULE', at: value, message: `invalid preference '${value.text}'` });
      usable = false;
      continue;
    }
    found[canonical] = value.text;
    options.push([word.text, value.text]);
  }
  if (!usable) return { problems };
  if (found['preference'] === undefined) {
    problems.push({ code: 'KTS_RULE_NO_PREFERENCE', at: words[0]!, message: 'rule has no preference; one is chosen automatically', hint: 'add `preference N`' });
  }
  const spec: RuleSpec = {
    options,
    ...(found['from'] !== undefined && { from: found['from'] }),
    ...(found['to'] !== undefined && { to: found['to'] }),
    ...(family !== undefined && { family }),
    ...(found['table'] !== undefined && { table: found['table'] }),
    ...(found['preference'] !== undefined && { preference: Number(found['preference']) }),
  };
  return { value: spec, problems };
}
