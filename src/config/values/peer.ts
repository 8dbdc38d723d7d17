// One line of unicast_peer { }: IP [min_ttl N] [max_ttl N].
import type { Word } from '../tree.js';
import { type Family, parseIp } from './ip.js';
import type { LineProblem, LineResult } from './line-result.js';
import { parseInteger } from './number.js';

export interface PeerSpec {
  readonly address: string;
  readonly family: Family;
  readonly minTtl?: number;
  readonly maxTtl?: number;
}

export function parsePeerLine(words: readonly Word[]): LineResult<PeerSpec> {
  const first = words[0]!;
  const ip = parseIp(first.text);
  if (!ip) return { problems: [{ code: 'KTS_BAD_ADDRESS', at: first, message: `unicast peer '${first.text}' is not an IP address` }] };
  const problems: LineProblem[] = [];
  const ttl: { minTtl?: number; maxTtl?: number } = {};
  for (let i = 1; i < words.length; i += 2) {
    const word = words[i]!;
    const value = words[i + 1];
    if ((word.text !== 'min_ttl' && word.text !== 'max_ttl') || !value) {
      problems.push({ code: 'KTS_INVALID_VALUE', at: word, message: `unexpected '${word.text}' in unicast peer`, hint: 'IP [min_ttl N] [max_ttl N]' });
      break;
    }
    const parsed = parseInteger(value.text, 0, 255);
    if (!parsed.ok) problems.push({ code: 'KTS_OUT_OF_RANGE', at: value, message: parsed.reason });
    else ttl[word.text === 'min_ttl' ? 'minTtl' : 'maxTtl'] = parsed.value;
  }
  return { value: { ...ip, ...ttl }, problems };
}
