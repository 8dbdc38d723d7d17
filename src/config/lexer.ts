// The line lexer: turns one preprocessed logical line into words and braces with a moo lexer, and
// hands them to the nearley grammar as block tokens. keepalived splits a line at every `{` or `}`
// outside double quotes, so a brace anywhere on a line acts as if it stood on a line of its own;
// a double-quoted string is one word with its spaces kept, and a quote always starts a new word.
import moo from 'moo';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { SourceLocation, Word } from './tree.js';

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

export interface LineToken {
  readonly type: 'line';
  /** nearley wants a `value` on every token: the line's first word. */
  readonly value: string;
  readonly words: Word[];
}

export interface BraceToken {
  readonly type: 'open' | 'close';
  readonly value: '{' | '}';
  readonly loc: SourceLocation;
}

export type BlockToken = LineToken | BraceToken;

const lineLexer = moo.compile({
  space: /[ \t\v\f\r]+/,
  quoted: /"[^"\n]*"/,
  unterminated: /"[^"\n]*/,
  open: '{',
  close: '}',
  word: /[^ \t\v\f\r\n"{}]+/,
});

export function columnOf(line: LogicalLine, index: number): number {
  if (line.cols === null) return line.baseCol + index;
  return line.cols[Math.min(index, line.cols.length - 1)] ?? line.baseCol;
}

function locationOf(line: LogicalLine, index: number): SourceLocation {
  return { file: line.file, line: line.line, col: columnOf(line, index) };
}

/** Appends the words and braces of `line` to `out`; quoting problems go to `diagnostics`. */
export function lexLine(line: LogicalLine, out: BlockToken[], diagnostics: Diagnostic[]): void {
  let words: Word[] = [];
  lineLexer.reset(line.text);
  for (let token = lineLexer.next(); token !== undefined; token = lineLexer.next()) {
    switch (token.type) {
      case 'space':
        break;
      case 'word':
        words.push({ text: unescapeCommentChars(token.value), loc: locationOf(line, token.offset), quoted: false });
        break;
      case 'quoted':
        words.push({ text: token.value.slice(1, -1), loc: locationOf(line, token.offset), quoted: true });
        break;
      case 'unterminated': {
        const loc = locationOf(line, token.offset);
        diagnostics.push(diagnostic('error', 'KTS_UNTERMINATED_QUOTE', loc, 'unterminated quote: this string runs to the end of the line',
          'close the string with another `"` on the same line'));
        words.push({ text: token.value.slice(1), loc, quoted: true });
        break;
      }
      default: {
        if (words.length > 0) out.push({ type: 'line', value: words[0]!.text, words });
        words = [];
        const loc = locationOf(line, token.offset);
        out.push(token.type === 'open' ? { type: 'open', value: '{', loc } : { type: 'close', value: '}', loc });
      }
    }
  }
  if (words.length > 0) out.push({ type: 'line', value: words[0]!.text, words });
}

function unescapeCommentChars(text: string): string {
  return text.includes('\\') ? text.replace(/\\([#!])/g, '$1') : text;
}

/**
 * Feeds already-lexed block tokens to nearley. nearley asks the lexer for tokens after `reset`;
 * the chunk it passes is ignored because the tokens were given to the constructor.
 */
export class BlockTokenSource {
  private index = 0;
  constructor(private readonly tokens: readonly BlockToken[]) {}
  reset(): void {
    this.index = 0;
  }
  next(): BlockToken | undefined {
    return this.tokens[this.index++];
  }
  save(): Record<string, never> {
    return {};
  }
  formatError(token: BlockToken): string {
    const loc = token.type === 'line' ? token.words[0]?.loc : token.loc;
    return loc ? `unexpected ${token.type} at ${loc.file}:${loc.line}:${loc.col}` : `unexpected ${token.type}`;
  }
  has(type: string): boolean {
    return type === 'line' || type === 'open' || type === 'close';
  }
}

/** A statement list built back to front by the grammar (see grammar/keepalived.ne). */
export type StatementList<T> = { readonly head: T; readonly rest: StatementList<T> } | null;

export function listToArray<T>(list: StatementList<T>): T[] {
  const items: T[] = [];
  for (let cell = list; cell !== null; cell = cell.rest) items.push(cell.head);
  return items.reverse();
}
