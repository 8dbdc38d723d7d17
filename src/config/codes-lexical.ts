// Diagnostic codes of the lexical layer (preprocessor, line lexer, block structure). The combined
// registry and its documentation are built from this record and the other layers' records.
import type { Severity } from './diagnostics.js';

export interface CodeInfo {
  readonly severity: Severity;
  readonly summary: string;
}

export const LEXICAL_CODES = {
  KTS_FILE_UNREADABLE: { severity: 'error', summary: 'The configuration file itself cannot be read.' },
  KTS_UNTERMINATED_QUOTE: { severity: 'error', summary: 'A double quote is not closed before the end of the line.' },
  KTS_UNCLOSED_BLOCK: { severity: 'error', summary: 'A `{` block is never closed by a matching `}`.' },
  KTS_UNEXPECTED_CLOSE_BRACE: { severity: 'error', summary: 'A `}` closes no open block.' },
  KTS_BLOCK_TOO_DEEP: { severity: 'error', summary: 'Blocks nest more than 64 deep (a `}` is probably missing).' },
  KTS_BLOCK_WITHOUT_KEYWORD: { severity: 'error', summary: 'A `{` block does not follow a keyword line.' },
  KTS_ESCAPED_COMMENT_CHAR: {
    severity: 'warning',
    summary: 'A `\\#` or `\\!` escape does not protect the character: keepalived 2.2.7 still starts a comment there.',
  },
  KTS_LINE_TOO_LONG: { severity: 'warning', summary: 'A line is longer than keepalived 2.2.7 reads at once (1023 bytes); keepalived splits it.' },
  KTS_INCLUDE_NO_MATCH: { severity: 'warning', summary: 'An `include` pattern matches no file (plain `include` tolerates this).' },
  KTS_INCLUDE_CHECK_FAILED: { severity: 'error', summary: 'An `includer`/`includem`/`includew`/`includeb`/`includea` check failed.' },
  KTS_INCLUDE_UNREADABLE: { severity: 'warning', summary: 'A file matched by `include` cannot be read.' },
  KTS_INCLUDE_MISSING_PATH: { severity: 'error', summary: 'An `include` line names no file.' },
  KTS_INCLUDE_READ_TWICE: {
    severity: 'warning',
    summary: 'An include comes out of a conditional or substitution: keepalived 2.2.7 children read such files twice.',
  },
  KTS_INCLUDE_TOO_DEEP: { severity: 'error', summary: 'Includes nest too deeply (probably a file including itself).' },
  KTS_CONDITIONAL_EMPTY: { severity: 'warning', summary: 'A conditional `@id` line has no config id after the `@`.' },
  KTS_DEFINITION_UNTERMINATED: { severity: 'error', summary: 'A multi-line `$NAME=` definition runs to the end of the file.' },
  KTS_SUBSTITUTION_RECURSIVE: { severity: 'warning', summary: 'A definition refers to itself; the inner reference is left unreplaced.' },
  KTS_SUBSTITUTION_TOO_DEEP: { severity: 'error', summary: 'Parameter substitution nests too deeply.' },
  KTS_SEQUENCE_INVALID: { severity: 'error', summary: 'A `~SEQ(...)`/`~SEQx(...)` specification is malformed.' },
  KTS_SEQUENCE_TOO_LONG: { severity: 'error', summary: 'A `~SEQ`/`~LST` expansion would produce too many lines.' },
  KTS_LIST_INVALID: { severity: 'error', summary: 'A `~LST(...)` specification is malformed.' },
  KTS_RANDOM_INVALID: { severity: 'error', summary: 'A `${_RANDOM MIN MAX}` has a bad range.' },
  KTS_ENV_NOT_IN_KEEPALIVED_227: {
    severity: 'warning',
    summary: '`${_ENV VAR}` is a keepalived 2.4 feature: keepalived 2.2.7 leaves it unreplaced.',
  },
  KTS_INTERNAL_PARSE_ERROR: { severity: 'error', summary: 'The block parser failed unexpectedly (a bug: please report it).' },
} as const satisfies Readonly<Record<string, CodeInfo>>;

export type LexicalCode = keyof typeof LEXICAL_CODES;
