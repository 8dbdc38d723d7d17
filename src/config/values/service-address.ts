// Service addresses: `virtual_server` / `real_server` / `sorry_server` headers and
// virtual_server_group lines (IP [PORT], IP-range [PORT], fwmark N [inet|inet6], group NAME).
import type { Word } from '../tree.js';
import { type Family, parseIp, parsePort } from './ip.js';
import type { LineProblem, LineResult } from './line-result.js';
import { parseInteger } from './number.js';

export type ServiceAddress =
  | { readonly kind: 'address'; readonly address: string; readonly family: Family; readonly port?: number; readonly rangeEnd?: string }
  | { readonly kind: 'fwmark'; readonly fwmark: number; readonly family?: Family }
  | { readonly kind: 'group'; readonly group: string };

/** A usable line has no problems: one shared empty list (a large config reads ten thousand headers). */
const NO_PROBLEMS: readonly LineProblem[] = Object.freeze([]);

/** `IP [PORT]`, also `IP-LAST` / `IP/len` ranges when `ranges` (virtual_server_group lines). */
export function parseServiceAddress(words: readonly Word[], what: string, allow: { ranges?: boolean; group?: boolean } = {}): LineResult<ServiceAddress> {
  const [first, second, third] = words;
  if (!first) return { problems: [] };
  if (first.text === 'fwmark') {
    const mark = second ? parseInteger(second.text, 1, 4294967295) : undefined;
    if (!mark?.ok) return { problems: [{ code: 'KTS_INVALID_VALUE', at: second ?? first, message: `${what}: fwmark needs a number 1..4294967295` }] };
    const family = third?.text === 'inet6' ? 'inet6' : third?.text === 'inet' ? 'inet' : undefined;
    return { value: { kind: 'fwmark', fwmark: mark.value, ...(family && { family }) }, problems: [] };
  }
  if (first.text === 'group' && allow.group) {
    if (!second) return { problems: [{ code: 'KTS_MISSING_ARGUMENT', at: first, message: `${what}: group needs a name` }] };
    return { value: { kind: 'group', group: second.text }, problems: [] };
  }
  let addressText = first.text;
  let rangeEnd: string | undefined;
  const dash = addressText.indexOf('-');
  if (allow.ranges && dash > 0) {
    rangeEnd = addressText.slice(dash + 1);
    addressText = addressText.slice(0, dash);
  } else if (allow.ranges && addressText.includes('/')) {
    [addressText] = addressText.split('/') as [string];
    rangeEnd = first.text.slice(first.text.indexOf('/'));
  }
  const ip = parseIp(addressText);
  if (!ip) return { problems: [{ code: 'KTS_BAD_ADDRESS', at: first, message: `${what}: '${first.text}' is not an IP address` }] };
  // Written out rather than spread: a large config reads ten thousand real_server lines.
  const { address, family } = ip;
  if (!second) {
    return { value: rangeEnd === undefined ? { kind: 'address', address, family } : { kind: 'address', address, family, rangeEnd }, problems: NO_PROBLEMS };
  }
  const port = parsePort(second.text);
  if (port === undefined) return { problems: [{ code: 'KTS_INVALID_VALUE', at: second, message: `${what}: '${second.text}' is not a port (0..65535)` }] };
  return { value: rangeEnd === undefined ? { kind: 'address', address, family, port } : { kind: 'address', address, family, port, rangeEnd }, problems: NO_PROBLEMS };
}
