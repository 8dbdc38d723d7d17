// HTTP_GET/SSL_GET `regex_options`: keepalived compiles the url's regex with PCRE2; we use
// JavaScript's RegExp, which reads the common subset (literals, classes, groups, alternation,
// quantifiers, anchors, \d \w \s, backreferences, lookaround) the same way. Differences worth
// knowing: without regex_options, PCRE2's `$` also matches before a final newline (JS's does not,
// which is PCRE2's dollar_endonly); a backreference to an unset group matches the empty string in
// JS (PCRE2's match_unset_backref); PCRE2-only syntax (possessive quantifiers, atomic groups,
// \A \Z \z, (?i) inline flags, verbs, recursion) does not compile in JS and the checker says so.
// Each PCRE2 option maps to a JS flag, needs nothing in JS, or cannot be honoured (`-t` warns
// about those: KTS_REGEX_OPTION_UNSUPPORTED). Pure; the matching itself is src/check/regex-match.ts.

/** Options that are a JS flag. */
const FLAGS: Readonly<Record<string, string>> = { caseless: 'i', multiline: 'm', dotall: 's', utf: 'u' };

/** Options that change nothing JS would do differently for a match test (optimisation hints, or JS's own behaviour). */
const NO_EFFECT = new Set([
  'no_auto_possess', 'no_dotstar_anchor', 'no_start_optimize', 'use_offset_limit', 'never_utf', 'never_ucp',
  'never_backslash_c', 'no_auto_capture', 'match_unset_backref', 'dollar_endonly', 'auto_callout',
]);

/** Options JS's RegExp has no equivalent for. */
const NOT_HONOURED = new Set(['ungreedy', 'extended', 'firstline', 'ucp', 'alt_bsux', 'allow_empty_class', 'alt_circumflex', 'dupnames', 'alt_verbnames']);

export interface RegexOptions {
  /** RegExp flags to compile with. */
  readonly flags: string;
  /** Options we cannot honour (the regex runs without them) or that PCRE2 does not know. */
  readonly unsupported: readonly string[];
  readonly unknown: readonly string[];
}

export function regexOptions(words: readonly string[]): RegexOptions {
  let flags = '';
  const unsupported: string[] = [];
  const unknown: string[] = [];
  for (const word of words.map((w) => w.toLowerCase())) {
    const flag = FLAGS[word];
    if (flag !== undefined) {
      if (!flags.includes(flag)) flags += flag;
    } else if (NOT_HONOURED.has(word)) {
      unsupported.push(word);
    } else if (!NO_EFFECT.has(word)) {
      unknown.push(word);
    }
  }
  return { flags, unsupported, unknown };
}

/** PCRE2 escapes that JavaScript reads differently (mostly as the plain letter, \v as a vertical tab). */
const PCRE_ONLY_ESCAPES = new Set(['A', 'Z', 'z', 'G', 'K', 'R', 'h', 'H', 'v', 'V', 'Q', 'E', 'X', 'C', 'N']);

/** The PCRE2-only escapes (`\A`, `\Z`, `\h`, ...) a regex source uses, in order, each once. */
export function pcreOnlyEscapes(source: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < source.length - 1; i++) {
    if (source[i] !== '\\') continue;
    const next = source[++i]!;
    if (PCRE_ONLY_ESCAPES.has(next) && !found.includes(`\\${next}`)) found.push(`\\${next}`);
  }
  return found;
}
