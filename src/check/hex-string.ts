// Pure parsing of UDP_CHECK's free-format HEX_STR ("Ab12f 3 456" = AB 12 0F 03 45 06: digits pair
// up within a word and an odd last digit stands alone) and reply matching where an X digit
// matches any nibble.

/** Nibbles two per byte, high first; null is a wildcard (X). Null result for a non-hex digit. */
export function parseHexPattern(text: string, allowWildcards = true): (number | null)[] | null {
  const nibbles: (number | null)[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const digits: (number | null)[] = [];
    for (const char of word) {
      if (allowWildcards && (char === 'x' || char === 'X')) digits.push(null);
      else if (/^[0-9a-fA-F]$/.test(char)) digits.push(parseInt(char, 16));
      else return null;
    }
    if (digits.length % 2 === 1) digits.splice(digits.length - 1, 0, 0);
    nibbles.push(...digits);
  }
  return nibbles;
}

/** HEX_STR as bytes (payload); null when malformed. */
export function parseHexBytes(text: string): Buffer | null {
  const nibbles = parseHexPattern(text, false);
  if (nibbles === null) return null;
  const bytes = Buffer.alloc(nibbles.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return bytes;
}

/** True when the reply agrees with the pattern over the shorter of the two. */
export function matchesHexPattern(reply: Uint8Array, pattern: readonly (number | null)[]): boolean {
  const length = Math.min(reply.length, pattern.length / 2);
  for (let i = 0; i < length; i++) {
    const high = pattern[2 * i];
    const low = pattern[2 * i + 1];
    if (high !== null && high !== undefined && reply[i]! >> 4 !== high) return false;
    if (low !== null && low !== undefined && (reply[i]! & 0x0f) !== low) return false;
  }
  return true;
}
