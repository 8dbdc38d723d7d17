// `include_check` (global_defs): how strictly later includes are checked. keepalived applies it
// while it reads, so it is tracked here, in the token stream between the line lexer and the
// structure pass: a statement takes effect for the includes that follow it. Measured with
// keepalived 2.2.7 (test/interop/config-include-check.test.ts), which differs from its man page:
// the readable check is spelt `read`; no word means every check; a first word without `+`/`-`
// replaces the level, `+word` adds and `-word` removes; an unprefixed word overlapping one
// already given on the line (`read match`: match includes read) is reported and ignored; only
// `include_check` inside a top-level global_defs counts; an included file's changes end with it.
import { CODES } from './codes.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { TokenSink } from './lexer.js';
import type { Statement } from './tree.js';

/** Checks as bits, so a level and an include variant's own checks combine with `|`. */
export const CHECK_READABLE = 1;
export const CHECK_MATCH = 2;
export const CHECK_WILDCARD_MATCH = 4;
export const CHECK_BRACE_MATCH = 8;
const ALL_CHECKS = CHECK_READABLE | CHECK_MATCH | CHECK_WILDCARD_MATCH | CHECK_BRACE_MATCH;

/** Every check but `read` includes the readable check. */
const CHECK_WORDS: Readonly<Record<string, number>> = {
  read: CHECK_READABLE,
  match: CHECK_MATCH | CHECK_READABLE,
  wildcard_match: CHECK_WILDCARD_MATCH | CHECK_READABLE,
  brace_match: CHECK_BRACE_MATCH | CHECK_READABLE,
};

/** keepalived reports the words it ignores, so they count as invalid values do elsewhere. */
const IGNORED_WORD = CODES['KTS_INVALID_VALUE']!.severity;

/** The level after one `include_check` statement's words, reporting words keepalived ignores. */
export function applyIncludeCheck(level: number, statement: Statement, diagnostics: Diagnostic[]): number {
  const words = statement.args;
  if (words.length === 0) return ALL_CHECKS;
  let next = level;
  let givenOnLine = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const sign = word.text.startsWith('+') || word.text.startsWith('-') ? word.text[0] : '';
    const name = sign === '' ? word.text : word.text.slice(1);
    const bits = CHECK_WORDS[name];
    if (bits === undefined) {
      diagnostics.push(diagnostic(IGNORED_WORD, 'KTS_INVALID_VALUE', word.loc,
        `include_check: '${name}' is not one of ${Object.keys(CHECK_WORDS).join(', ')}; keepalived ignores it`,
        name === 'readable' ? 'keepalived 2.2.7 spells this check `read`' : undefined));
      continue;
    }
    if (sign === '-') {
      next &= ~bits;
    } else if (sign === '+') {
      next |= bits;
    } else {
      if (i === 0) next = 0;
      if ((givenOnLine & bits) !== 0) {
        diagnostics.push(diagnostic(IGNORED_WORD, 'KTS_INVALID_VALUE', word.loc,
          `include_check: '${name}' overlaps a check already given on this line; keepalived ignores it`,
          '`match`, `wildcard_match` and `brace_match` already include `read`'));
        continue;
      }
      givenOnLine |= bits;
      next |= bits;
    }
  }
  return next;
}

/**
 * Passes the lexer's statements and braces on to the structure pass, noting `include_check`
 * statements that stand directly in a top-level global_defs block.
 */
export class IncludeCheckTracker implements TokenSink {
  /** The checks every include gets on top of its variant's own. */
  level = 0;
  /** For each open `{`: whether it opened a top-level global_defs. */
  private readonly openIsGlobalDefs: boolean[] = [];
  private lastStatement: Statement | null = null;

  constructor(
    private readonly next: TokenSink,
    private readonly diagnostics: Diagnostic[],
  ) {}

  statement(statement: Statement): void {
    const open = this.openIsGlobalDefs;
    if (open.length === 1 && open[0] === true && statement.keyword.text === 'include_check') {
      this.level = applyIncludeCheck(this.level, statement, this.diagnostics);
    }
    this.lastStatement = statement;
    this.next.statement(statement);
  }

  brace(open: boolean, file: string, line: number, col: number): void {
    if (open) this.openIsGlobalDefs.push(this.openIsGlobalDefs.length === 0 && this.lastStatement?.keyword.text === 'global_defs');
    else this.openIsGlobalDefs.pop();
    this.lastStatement = null;
    this.next.brace(open, file, line, col);
  }
}
