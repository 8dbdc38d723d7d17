// Numbers as keepalived reads them: plain decimal integers, and decimal fractions with a fixed
// number of fractional digits (timers are seconds with microsecond resolution). Pure: a parse
// either gives the value or the reason it was refused, never throws.

export type NumberResult = { ok: true; value: number } | { ok: false; reason: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** A whole number in [min, max]; keepalived rejects trailing junk such as `10s`. */
export function parseInteger(text: string, min: number, max: number): NumberResult {
  if (!INTEGER.test(text)) return { ok: false, reason: `'${text}' is not a whole number` };
  const value = Number(text);
  if (value < min || value > max) return { ok: false, reason: `number '${text}' outside range [${min}, ${max}]` };
  return { ok: true, value };
}

/**
 * A decimal number with at most `digits` fractional digits, in [min, max]. Extra digits are
 * truncated, like keepalived's fixed-point reader, so 0.0000019 with 6 digits reads as 0.000001.
 */
export function parseDecimal(text: string, min: number, max: number, digits = 6): NumberResult {
  const quick = shortWholeNumber(text);
  if (quick >= 0) return inRange(text, quick, min, max);
  if (!DECIMAL.test(text)) return { ok: false, reason: `'${text}' is not a decimal number` };
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  const [whole = '0', fraction = ''] = unsigned.split('.');
  const scaled = Number(whole || '0') * 10 ** digits + Number((fraction + '0'.repeat(digits)).slice(0, digits));
  return inRange(text, ((negative ? -1 : 1) * scaled) / 10 ** digits, min, max);
}

/**
 * The value of 1 to 9 plain digits, else -1: most numbers in a config (ids, weights, whole-second
 * timers) are such, and read this way they need no regex. Both parsers above read such text as
 * exactly this number (scaling by 10^digits and back is exact below 10^9).
 */
export function shortWholeNumber(text: string): number {
  if (text.length === 0 || text.length > 9) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

function inRange(text: string, value: number, min: number, max: number): NumberResult {
  if (value < min || value > max) return { ok: false, reason: `number '${text}' outside range [${min}, ${max}]` };
  return { ok: true, value };
}

const TRUE_WORDS = new Set(['on', 'true', 'yes']);
const FALSE_WORDS = new Set(['off', 'false', 'no']);

export type BoolResult = { ok: true; value: boolean } | { ok: false; reason: string };

/** keepalived's <BOOL>: on/off/true/false/yes/no, lower case only (`ON` is refused); absent means true. */
export function parseBool(text: string | undefined): BoolResult {
  if (text === undefined) return { ok: true, value: true };
  if (TRUE_WORDS.has(text)) return { ok: true, value: true };
  if (FALSE_WORDS.has(text)) return { ok: true, value: false };
  return { ok: false, reason: `'${text}' is not a boolean (on/off, true/false, yes/no)` };
}
