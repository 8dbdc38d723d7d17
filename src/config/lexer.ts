// The line lexer: turns one preprocessed logical line into words and braces with a moo lexer, and
// defines the tokens the nearley grammar consumes. keepalived splits a line at every `{` or `}`
// outside double quotes, so a brace anywhere on a line acts as if it stood on a line of its own;
// a double-quoted string is one word with its spaces kept, and a quote always starts a new word.
import moo from 'moo';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { SourceLocation, Statement, Word } from './tree.js';

/** One logical line after preprocessing, with a way back to the columns it came from. */
export interface LogicalLine {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** 1-based source column of each character of `text`; null when `text` is unchanged source. */
  readonly cols: readonly number[] | null;
  /** Source column of `text[0]` when `cols` is null. */
  readonly baseCol: number;
}

/** The words between braces on one logical line. */
export interface LineToken {
  readonly type: 'line';
  readonly keyword: Word;
  readonly args: Word[];
}

export interface BraceToken {
  readonly type: 'open' | 'close';
  readonly value: '{' | '}';
  readonly loc: SourceLocation;
}

export type LexedToken = LineToken | BraceToken;

// Each token takes the whitespace before it, so a line costs one moo token per word or brace;
// `space` only matches whitespace that no token follows.
const lineLexer = moo.compile({
  quoted: /[ \t\v\f\r]*"[^"\n]*"/,
  unterminated: /[ \t\v\f\r]*"[^"\n]*/,
  open: /[ \t\v\f\r]*\{/,
  close: /[ \t\v\f\r]*\}/,
  word: /[ \t\v\f\r]*[^ \t\v\f\r\n"{}]+/,
  space: /[ \t\v\f\r]+/,
});

export function columnOf(line: LogicalLine, index: number): number {
  if (line.cols === null) return line.baseCol + index;
  return line.cols[Math.min(index, line.cols.length - 1)] ?? line.baseCol;
}

function leadingSpace(text: string): number {
  let n = 0;
  while (n < text.length && text.charCodeAt(n) <= 32) n++;
  return n;
}

/** Appends the words and braces of `line` to `out`; quoting problems go to `diagnostics`. */
export function lexLine(line: LogicalLine, out: LexedToken[], diagnostics: Diagnostic[]): void {
  let keyword: Word | null = null;
  let args: Word[] = [];
  const file = line.file;
  const lineNumber = line.line;
  lineLexer.reset(line.text);
  for (let token = lineLexer.next(); token !== undefined; token = lineLexer.next()) {
    const type = token.type;
    if (type === 'space') continue;
    const value = token.value;
    const lead = value.charCodeAt(0) <= 32 ? leadingSpace(value) : 0;
    const loc: SourceLocation = { file, line: lineNumber, col: columnOf(line, token.offset + lead) };
    let word: Word;
    if (type === 'word') {
      const text = lead === 0 ? value : value.slice(lead);
      word = { text, loc, quoted: false };
    } else if (type === 'quoted') {
      word = { text: value.slice(lead + 1, -1), loc, quoted: true };
    } else if (type === 'unterminated') {
      diagnostics.push(diagnostic('error', 'KTS_UNTERMINATED_QUOTE', loc, 'unterminated quote: this string runs to the end of the line',
        'close the string with another `"` on the same line'));
      word = { text: value.slice(lead + 1), loc, quoted: true };
    } else {
      if (keyword !== null) out.push({ type: 'line', keyword, args });
      keyword = null;
      args = [];
      out.push(type === 'open' ? { type: 'open', value: '{', loc } : { type: 'close', value: '}', loc });
      continue;
    }
    if (keyword === null) keyword = word;
    else args.push(word);
  }
  if (keyword !== null) out.push({ type: 'line', keyword, args });
}

/** Grammar token: consecutive statements without blocks. */
export interface LeavesToken {
  readonly type: 'leaves';
  readonly value: '';
  readonly statements: Statement[];
}

/** Grammar token: a keyword line whose `{` follows it. */
export interface HeadToken {
  readonly type: 'head';
  readonly value: string;
  readonly keyword: Word;
  readonly args: Word[];
}

export interface CloseToken {
  readonly type: 'close';
  readonly value: '}';
  readonly loc: SourceLocation;
}

export type StructureToken = LeavesToken | HeadToken | CloseToken;

/**
 * Feeds structure tokens to nearley. nearley asks the lexer for tokens after `reset`; the chunk
 * it passes is ignored because the tokens were given to the constructor.
 */
export class StructureTokenSource {
  private index = 0;
  constructor(private readonly tokens: readonly StructureToken[]) {}
  reset(): void {
    this.index = 0;
  }
  next(): StructureToken | undefined {
    return this.tokens[this.index++];
  }
  save(): Record<string, never> {
    return {};
  }
  formatError(token: StructureToken): string {
    return `unexpected ${token.type} token`;
  }
  has(type: string): boolean {
    return type === 'leaves' || type === 'head' || type === 'close';
  }
}

/** A statement list built back to front by the grammar (see grammar/keepalived.ne). */
export type StatementList = { readonly head: Statement | Statement[]; readonly rest: StatementList } | null;

export function listToArray(list: StatementList): Statement[] {
  const chunks: Array<Statement | Statement[]> = [];
  for (let cell = list; cell !== null; cell = cell.rest) chunks.push(cell.head);
  const statements: Statement[] = [];
  for (let i = chunks.length - 1; i >= 0; i--) {
    const chunk = chunks[i]!;
    if (Array.isArray(chunk)) for (const s of chunk) statements.push(s);
    else statements.push(chunk);
  }
  return statements;
}
