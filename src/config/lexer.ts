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

/**
 * Where lexed lines go, in order: the structure pass (parse.ts) takes them as they come. The
 * words between braces arrive as a block-less Statement (the grammar reuses it as one); a brace
 * arrives as its place only, so no token object is made for it.
 */
export interface TokenSink {
  statement(statement: Statement): void;
  brace(open: boolean, file: string, line: number, col: number): void;
}

// A run of unquoted text between braces and quotes is one moo token, split into words by
// `addRun` (one moo token per run instead of one per word); the run's text is re-read from the
// line, so its value is never copied. Lines whose only brace ends them skip moo (see lexLine).
const lineLexer = moo.compile({
  quoted: /"[^"\n]*"/,
  unterminated: /"[^"\n]*/,
  open: '{',
  close: '}',
  text: /[^"{}\n]+/,
});

export function columnOf(line: LogicalLine, index: number): number {
  if (line.cols === null) return line.baseCol + index;
  return line.cols[Math.min(index, line.cols.length - 1)] ?? line.baseCol;
}

/** keepalived splits words with C isspace(): space, \t, \n, \v, \f, \r, and nothing else (no NBSP). */
export function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

export function trimBlanksEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isBlank(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

export function trimBlanks(text: string): string {
  let start = 0;
  while (start < text.length && isBlank(text.charCodeAt(start))) start++;
  return trimBlanksEnd(start === 0 ? text : text.slice(start));
}

/**
 * A lexed word. Its location object is built when asked for: a large config has a hundred
 * thousand words and only the few that end up in a diagnostic or the model need one. Nearly every
 * word outlives the parse, so its size counts twice over (the young-generation collector copies
 * each survivor before promoting it): line, column and quoting are packed into one small integer,
 * which makes a word three fields instead of five. Words beyond the packable range (a line past
 * 2^19 or a column past 2^11) keep them apart (see FarWord).
 */
class LexedWord implements Word {
  constructor(
    readonly text: string,
    private readonly file: string,
    /** line << 12 | column << 1 | quoted */
    private readonly packed: number,
  ) {}

  get quoted(): boolean {
    return (this.packed & 1) === 1;
  }

  get loc(): SourceLocation {
    return { file: this.file, line: this.packed >>> 12, col: (this.packed >>> 1) & 0x7ff };
  }
}

/** A word whose line or column does not fit LexedWord's packed position. */
class FarWord implements Word {
  constructor(
    readonly text: string,
    readonly quoted: boolean,
    private readonly file: string,
    private readonly line: number,
    private readonly col: number,
  ) {}

  get loc(): SourceLocation {
    return { file: this.file, line: this.line, col: this.col };
  }
}

const MAX_PACKED_LINE = (1 << 19) - 1;
const MAX_PACKED_COL = (1 << 11) - 1;

function lexedWord(text: string, quoted: boolean, file: string, line: number, col: number): Word {
  if (line > MAX_PACKED_LINE || col > MAX_PACKED_COL || line < 0 || col < 0) return new FarWord(text, quoted, file, line, col);
  return new LexedWord(text, file, (line << 12) | (col << 1) | (quoted ? 1 : 0));
}

/**
 * A line's arguments are gathered here and copied out at their exact size: an array grown by
 * push keeps room for 16 more elements, about 130 bytes per statement on a large config.
 */
const scratchArgs: Word[] = [];

/** The arguments of every statement that has none (block openers, value lines): one shared array. */
const NO_ARGS: readonly Word[] = Object.freeze([]);

/** The first `count` of `items` in a new array of exactly that size. */
export function exactCopy<T>(items: readonly T[], count: number): T[] {
  // Most statements have one or two arguments: a literal is much cheaper than slice.
  switch (count) {
    case 0:
      return [];
    case 1:
      return [items[0]!];
    case 2:
      return [items[0]!, items[1]!];
    default:
      return items.slice(0, count);
  }
}

/**
 * Recently lexed unquoted words, by a hash of their text: most words of a config repeat
 * (keywords, `1`, `80`, `/health`), and a word found here is reused instead of sliced anew, so it
 * neither allocates nor adds a string that outlives the parse. Direct-mapped: a collision just
 * replaces the slot. Emptied after each parse (forgetSharedWords), so no text of one config is
 * kept alive by the next.
 */
const SHARED_WORD_SLOTS = 4096;
const MAX_SHARED_WORD_LENGTH = 32;
const sharedWords: Array<string | undefined> = new Array<string | undefined>(SHARED_WORD_SLOTS).fill(undefined);

function sharedWord(text: string, start: number, end: number, hash: number): string {
  const length = end - start;
  if (length > MAX_SHARED_WORD_LENGTH) return text.slice(start, end);
  const slot = hash & (SHARED_WORD_SLOTS - 1);
  const known = sharedWords[slot];
  if (known !== undefined && known.length === length && text.startsWith(known, start)) return known;
  const word = text.slice(start, end);
  sharedWords[slot] = word;
  return word;
}

/** Drops the words kept for reuse: called when a parse ends. */
export function forgetSharedWords(): void {
  sharedWords.fill(undefined);
}

/** The words and braces of one line, gathered into statements for a TokenSink (one per lexer). */
class LineWords {
  private keyword: Word | null = null;
  // A count rather than args.length = 0, which takes a slow path in V8.
  private argCount = 0;
  private line: LogicalLine = NO_LINE;
  private out: TokenSink = NO_SINK;

  start(line: LogicalLine, out: TokenSink): void {
    this.line = line;
    this.out = out;
  }

  /** Emits the last statement and lets go of the line and the sink (which holds the whole parse). */
  end(): void {
    this.flush();
    this.line = NO_LINE;
    this.out = NO_SINK;
  }

  add(word: Word): void {
    if (this.keyword === null) this.keyword = word;
    else scratchArgs[this.argCount++] = word;
  }

  /** Emits the words since the last brace as one statement. */
  flush(): void {
    if (this.keyword !== null) this.out.statement({ keyword: this.keyword, args: this.argCount === 0 ? NO_ARGS : exactCopy(scratchArgs, this.argCount) });
    this.keyword = null;
    this.argCount = 0;
  }

  /** Splits `text[start, end)` of the line at blanks into unquoted words. */
  addRun(start: number, end: number): void {
    const { text, file, line } = this.line;
    let at = start;
    for (;;) {
      while (at < end && isBlank(text.charCodeAt(at))) at++;
      if (at === end) return;
      const wordStart = at;
      let hash = 0;
      for (; at < end; at++) {
        const c = text.charCodeAt(at);
        if (isBlank(c)) break;
        hash = (Math.imul(hash, 31) + c) | 0;
      }
      this.add(lexedWord(sharedWord(text, wordStart, at, hash), false, file, line, columnOf(this.line, wordStart)));
    }
  }

  brace(open: boolean, offset: number): void {
    this.flush();
    this.out.brace(open, this.line.file, this.line.line, columnOf(this.line, offset));
  }
}

const NO_LINE: LogicalLine = { text: '', file: '', line: 0, cols: null, baseCol: 1 };
const NO_SINK: TokenSink = { statement: () => undefined, brace: () => undefined };
const lineWords = new LineWords();

/** Where the first quote or brace of `text` stands, or -1. */
function firstQuoteOrBrace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ || c === 123 /* { */ || c === 125 /* } */) return i;
  }
  return -1;
}

/** Appends the words and braces of `line` to `out`; quoting problems go to `diagnostics`. */
export function lexLine(line: LogicalLine, out: TokenSink, diagnostics: Diagnostic[]): void {
  const words = lineWords;
  words.start(line, out);
  const { text, file } = line;
  // Most lines of a large config are `keyword args`, `keyword args {` or `}`: for those the moo
  // lexer gives at most one `text` token and one brace token as the line's end (lines are trimmed
  // and hold no newline), so they are split directly. Quotes and other braces go through moo.
  const special = firstQuoteOrBrace(text);
  if (special === -1) {
    words.addRun(0, text.length);
    words.end();
    return;
  }
  if (special === text.length - 1 && text.charCodeAt(special) !== 34 /* " */) {
    words.addRun(0, special);
    words.brace(text.charCodeAt(special) === 123 /* { */, special);
    words.end();
    return;
  }
  lineLexer.reset(text);
  for (let token = lineLexer.next(); token !== undefined; token = lineLexer.next()) {
    const type = token.type;
    const offset = token.offset;
    if (type === 'text') {
      words.addRun(offset, offset + token.text.length);
    } else if (type === 'quoted') {
      words.add(lexedWord(text.slice(offset + 1, offset + token.text.length - 1), true, file, line.line, columnOf(line, offset)));
    } else if (type === 'unterminated') {
      const word = lexedWord(text.slice(offset + 1, offset + token.text.length), true, file, line.line, columnOf(line, offset));
      diagnostics.push(unterminatedQuote(word.loc));
      words.add(word);
    } else {
      words.brace(type === 'open', offset);
    }
  }
  words.end();
}

function unterminatedQuote(loc: SourceLocation): Diagnostic {
  return diagnostic('error', 'KTS_UNTERMINATED_QUOTE', loc, 'unterminated quote: this string runs to the end of the line',
    'close the string with another `"` on the same line');
}

/** Grammar token: the block-less statements before the first block of the file. */
export interface LeavesToken {
  readonly type: 'leaves';
  readonly value: '';
  readonly statements: Statement[];
}

/** Grammar token: a keyword line whose `{` follows it, with the block-less statements after the `{`. */
export interface HeadToken {
  readonly type: 'head';
  readonly value: string;
  readonly keyword: Word;
  readonly args: readonly Word[];
  readonly leaves: Statement[] | null;
}

/** Grammar token: a `}`, with the block-less statements after it. */
export interface CloseToken {
  readonly type: 'close';
  readonly value: '}';
  readonly loc: SourceLocation;
  readonly leaves: Statement[] | null;
}

/**
 * Grammar token: a whole block with no block inside it (`virtual_ipaddress { ... }`,
 * `TCP_CHECK { ... }`), already a Statement, with the block-less statements after its `}`.
 * Most blocks of a large config are such leaves, so the grammar sees one token for each of them
 * instead of a head and a close.
 */
export interface LeafBlockToken {
  readonly type: 'leaf';
  readonly value: string;
  readonly statement: Statement;
  readonly leaves: Statement[] | null;
}

export type StructureToken = LeavesToken | HeadToken | CloseToken | LeafBlockToken;

/** The part of a nearley Parser the token source reaches into: its table of columns. */
export interface ParserColumns {
  readonly table: unknown[];
  readonly current: number;
}

/** What `save` returns: the source keeps no state nearley could restore. */
const NO_LEXER_STATE: Record<string, never> = Object.freeze({});

/**
 * Feeds structure tokens to nearley. nearley asks the lexer for tokens after `reset`; the chunk
 * it passes is ignored because the tokens were given to the constructor.
 *
 * The parser runs with `keepHistory` and this source lets go of the columns nearley has passed
 * (see `release`): nearley's own way (without keepHistory) `delete`s each passed column from its
 * table, and V8 turns an array that is mostly deleted into a hash table (dictionary elements),
 * which every later push and read of a column then goes through: on bench/gen-config.mjs's
 * 61,700 lines that was about half of nearley's time (measured 65 -> 34 ms warm).
 */
export class StructureTokenSource {
  private index = 0;
  private parser: ParserColumns | null = null;
  constructor(private readonly tokens: readonly StructureToken[]) {}
  /** From now on, each token asked for releases the columns before the parser's current one. */
  release(parser: ParserColumns): void {
    this.parser = parser;
  }
  reset(): void {
    this.index = 0;
  }
  next(): StructureToken | undefined {
    const parser = this.parser;
    // nearley reads only the current column and the next it makes; the current one's `wants`
    // still reach the earlier states it needs, so its table entries can go.
    if (parser !== null && parser.current > 0) parser.table[parser.current - 1] = undefined;
    return this.tokens[this.index++];
  }
  save(): Record<string, never> {
    return NO_LEXER_STATE;
  }
  formatError(token: StructureToken): string {
    return `unexpected ${token.type} token`;
  }
  has(type: string): boolean {
    return type === 'leaves' || type === 'head' || type === 'close' || type === 'leaf';
  }
}

/** A list of blocks built back to front by the grammar, each with the statements after its `}`. */
export type StatementList = {
  readonly statement: Statement;
  readonly trailing: Statement[] | null;
  readonly rest: StatementList;
} | null;

/** The grammar's result: the statements before the first block, then the blocks. */
export interface ParsedConfig {
  readonly leading: Statement[] | null;
  readonly list: StatementList;
}

/** `leading` statements, then each block of `list` in order followed by its trailing statements. */
export function listToArray(leading: Statement[] | null, list: StatementList): Statement[] {
  if (list === null) return leading ?? [];
  // The list runs back to front: count, then fill an array of exactly that size from its end.
  let count = leading?.length ?? 0;
  for (let cell: StatementList = list; cell !== null; cell = cell.rest) count += 1 + (cell.trailing?.length ?? 0);
  const statements = new Array<Statement>(count);
  let at = count;
  for (let cell: StatementList = list; cell !== null; cell = cell.rest) {
    const trailing = cell.trailing;
    if (trailing !== null) for (let i = trailing.length - 1; i >= 0; i--) statements[--at] = trailing[i]!;
    statements[--at] = cell.statement;
  }
  if (leading !== null) for (let i = leading.length - 1; i >= 0; i--) statements[--at] = leading[i]!;
  return statements;
}
