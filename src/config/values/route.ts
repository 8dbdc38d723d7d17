// One line of static_routes / virtual_routes, shaped like `ip route add` arguments
// (keepalived.conf(5) lists the words). Options are kept as written; the destination, gateway,
// source and device are pulled out because other layers need them.
import type { Word } from '../tree.js';
import { type Family, parseIp, parsePrefix } from './ip.js';
import type { LineProblem, LineResult } from './line-result.js';

export interface RouteSpec {
  readonly destination: string;
  readonly family: Family;
  readonly prefixLength: number;
  readonly type?: string;
  readonly via?: string;
  readonly src?: string;
  readonly dev?: string;
  readonly table?: string;
  readonly metric?: number;
  /** Every option word and its value, in order, for the route programmer. */
  readonly options: readonly (readonly [string, string | undefined])[];
}

const TYPES = new Set(['blackhole', 'unreachable', 'prohibit', 'throw', 'local', 'broadcast', 'unicast', 'multicast', 'anycast', 'nat']);
const FLAG_WORDS = new Set(['onlink', 'inet6', 'inet', 'add', 'append', 'prepend', 'no_track', 'quickack', 'fastopen_no_cookie', 'lock']);
const VALUED_WORDS = new Set([
  'src', 'via', 'gw', 'or', 'dev', 'oif', 'scope', 'table', 'metric', 'priority', 'preference', 'protocol', 'proto', 'tos', 'dsfield',
  'mtu', 'advmss', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'realms', 'rto_min',
  'hoplimit', 'features', 'congctl', 'pref', 'vrf', 'expires', 'ttl-propagate', 'track_group', 'to', 'quickack', 'fastopen_no_cookie',
]);
export const ROUTE_WORDS = [...TYPES, ...FLAG_WORDS, ...VALUED_WORDS, 'nexthop', 'encap', 'weight'];

export function parseRouteLine(words: readonly Word[]): LineResult<RouteSpec> {
  const problems: LineProblem[] = [];
  const options: [string, string | undefined][] = [];
  let destination: { word: Word; address: string; family: Family; prefixLength: number } | undefined;
  const found: Record<string, string> = {};
  let type: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const text = word.text;
    if (text === 'nexthop' || text === 'encap') {
      // Multipath hops and encapsulations run to the end of the line; the programmer reads them.
      options.push([text, words.slice(i + 1).map((w) => w.text).join(' ')]);
      break;
    }
    if (FLAG_WORDS.has(text) && text !== 'quickack' && text !== 'fastopen_no_cookie') {
      options.push([text, undefined]);
      continue;
    }
    if (TYPES.has(text) && !destination) {
      type = text;
      continue;
    }
    if (VALUED_WORDS.has(text)) {
      const value = words[i + 1];
      if (!value) {
        problems.push({ code: 'KTS_BAD_ROUTE', at: word, message: `'${text}' needs a value` });
        break;
      }
      i++;
      if (text === 'gw') problems.push({ code: 'KTS_DEPRECATED', at: word, message: '"gw" for routes is deprecated', hint: 'use "via"' });
      if (text === 'or') problems.push({ code: 'KTS_DEPRECATED', at: word, message: '"or" for routes is deprecated', hint: 'use "nexthop"' });
      if (text === 'to') {
        i--;
        continue;
      }
      if ((text === 'via' || text === 'gw' || text === 'or' || text === 'src') && !parseIp(value.text)) {
        problems.push({ code: 'KTS_BAD_ROUTE', at: value, message: `invalid ${text} address '${value.text}'` });
        continue;
      }
      if ((text === 'metric' || text === 'priority' || text === 'preference') && !/^\d+$/.test(value.text)) {
        problems.push({ code: 'KTS_BAD_ROUTE', at: value, message: `invalid ${text} '${value.text}'` });
        continue;
      }
      found[text === 'gw' ? 'via' : text === 'oif' ? 'dev' : text] = value.text;
      options.push([text, value.text]);
      continue;
    }
    const prefix = text === 'default' ? parsePrefix('0.0.0.0/0') : parsePrefix(text);
    if (prefix && !destination) {
      destination = { word, ...prefix };
      continue;
    }
    problems.push({ code: 'KTS_BAD_ROUTE', at: word, message: destination ? `unknown route option '${text}'` : `invalid route destination '${text}'` });
    if (!destination) return { problems };
  }
  if (!destination) return { problems: [...problems, { code: 'KTS_BAD_ROUTE', at: words[0]!, message: 'route has no destination' }] };
  const metricText = found['metric'] ?? found['priority'] ?? found['preference'];
  const spec: RouteSpec = {
    destination: destination.address,
    family: destination.family,
    prefixLength: destination.prefixLength,
    options,
    ...(type !== undefined && { type }),
    ...(found['via'] !== undefined && { via: found['via'] }),
    ...(found['src'] !== undefined && { src: found['src'] }),
    ...(found['dev'] !== undefined && { dev: found['dev'] }),
    ...(found['table'] !== undefined && { table: found['table'] }),
    ...(metricText !== undefined && { metric: Number(metricText) }),
  };
  return { value: spec, problems };
}
