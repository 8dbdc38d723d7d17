// The equal-priority tie break of RFC 5798 §6.4.3: the sender with the greater primary address,
// compared as an unsigned integer in network byte order, stays master.

import { ipToBytes } from '../sys/sockaddr.js';

const UNPARSABLE = Buffer.alloc(0);

function addressBytes(address: string): Buffer {
  try {
    return ipToBytes(address);
  } catch {
    // Unreachable with adverts from the packet layer; an empty buffer sorts lowest rather than throwing.
    return UNPARSABLE;
  }
}

/** Negative, zero or positive as `a` is below, equal to or above `b` (IPv4 and IPv6 alike). */
export function compareAddresses(a: string, b: string): number {
  return Buffer.compare(addressBytes(a), addressBytes(b));
}
