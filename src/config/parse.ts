// Entry points of the lexical layer: file(s) → preprocessed block tokens → repaired brace
// structure → nearley block tree. Never throws on bad input: every problem is a Diagnostic.
import { hostname } from 'node:os';
import nearley from 'nearley';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import grammar from './generated/keepalived.js';
import { exactCopy, forgetSharedWords, listToArray, StructureTokenSource, type ParsedConfig, type ParserColumns, type StructureToken, type TokenSink } from './lexer.js';
import { preprocess } from './preprocess.js';
import { nodeFileSystem, type ConfigFileSystem } from './source-files.js';
import type { ConfigTree, SourceLocation, Statement } from './tree.js';

export interface ParseOptions {
  /** `-i/--config-id`; default: this host's name up to the first dot, as keepalived. */
  readonly configId?: string;
  /** Environment for `${_ENV VAR}`; default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** File access for the entry file and includes; default: node:fs. */
  readonly fs?: ConfigFileSystem;
  /** Uniform in [0, 1) for `${_RANDOM}`; default: Math.random. */
  readonly random?: () => number;
}

export interface ParseResult {
  readonly tree: ConfigTree;
  readonly diagnostics: Diagnostic[];
  /** Every file read (entry file first, then includes in reading order), for reload watching. */
  readonly files: string[];
}

export function defaultConfigId(): string {
  return hostname().split('.')[0] ?? '';
}

/** Parses the config file at `entryFile` and everything it includes. */
export function parseConfig(entryFile: string, options: ParseOptions = {}): ParseResult {
  return parse(entryFile, null, options);
}

/** Parses `text` as if it were the file `fileName` (includes are resolved relative to it). */
export function parseConfigText(text: string, fileName: string, options: ParseOptions = {}): ParseResult {
  return parse(fileName, text, options);
}

function resolveOptions(options: ParseOptions) {
  return {
    configId: options.configId ?? defaultConfigId(),
    env: options.env ?? process.env,
    fs: options.fs ?? nodeFileSystem,
    random: options.random ?? Math.random,
  };
}

const compiledGrammar = nearley.Grammar.fromCompiled(grammar);

/** Preprocessing streams its tokens into the structure pass: no token list is kept in between. */
function parse(entryFile: string, text: string | null, options: ParseOptions): ParseResult {
  const structureDiagnostics: Diagnostic[] = [];
  const structure = new StructureBuilder(structureDiagnostics);
  const pre = preprocess(entryFile, text, resolveOptions(options), structure);
  forgetSharedWords();
  const tokens = structure.finish();
  // Preprocessing diagnostics come first, as they did when the passes ran one after the other.
  const diagnostics = pre.diagnostics;
  for (const d of structureDiagnostics) diagnostics.push(d);
  const fallbackLoc = { file: pre.files[0] ?? '', line: 1, col: 1 };
  try {
    const source = new StructureTokenSource(tokens);
    const parser = new nearley.Parser(compiledGrammar, { lexer: source, keepHistory: true });
    source.release(parser as unknown as ParserColumns);
    parser.feed('');
    const parsed = parser.results[0] as ParsedConfig | undefined;
    if (parsed !== undefined) return { tree: listToArray(parsed.leading, parsed.list), diagnostics, files: pre.files };
    diagnostics.push(diagnostic('error', 'KTS_INTERNAL_PARSE_ERROR', fallbackLoc, 'the block parser produced no tree'));
  } catch (error) {
    diagnostics.push(diagnostic('error', 'KTS_INTERNAL_PARSE_ERROR', fallbackLoc, `the block parser failed: ${(error as Error).message}`));
  }
  return { tree: [], diagnostics, files: pre.files };
}

/** keepalived's deepest real nesting is 4 or 5 (virtual_server > real_server > HTTP_GET > url); this bounds runaway input. */
const MAX_BLOCK_DEPTH = 64;

/**
 * Turns lexed lines and braces into the grammar's tokens as the lexer hands them over, repairing
 * the braces so the grammar always accepts them and reporting each repair: a `}` closing nothing
 * is dropped; a `{` not preceded by a keyword line is dropped with its matching `}` (its contents
 * stay at the enclosing level, as keepalived reads them); blocks still open at the end are closed
 * there.
 */
class StructureBuilder implements TokenSink {
  private readonly out: StructureToken[] = [];
  /** For each open `{`, innermost last: whether it was kept, and where it stood. */
  private readonly openKeptFlags: boolean[] = [];
  private readonly openFiles: string[] = [];
  private readonly openLines: number[] = [];
  private readonly openCols: number[] = [];
  private openCount = 0;
  private openKept = 0;
  private pending: Statement | null = null;
  /** Block-less statements since the last head or close (or the start), attached to it later. */
  private readonly leaves: Statement[] = [];
  private leafCount = 0;
  /** The token the current `leaves` ride on: the last head or close emitted, or null at the start. */
  private carrier: { leaves: Statement[] | null } | null = null;

  constructor(private readonly diagnostics: Diagnostic[]) {}

  statement(statement: Statement): void {
    this.flushPending();
    this.pending = statement;
  }

  brace(open: boolean, file: string, line: number, col: number): void {
    if (open) this.openBlock(file, line, col);
    else this.closeBlock({ file, line, col });
  }

  finish(): StructureToken[] {
    while (this.openCount > 0) {
      const at = --this.openCount;
      if (!this.openKeptFlags[at]) continue;
      const loc = { file: this.openFiles[at]!, line: this.openLines[at]!, col: this.openCols[at]! };
      this.diagnostics.push(diagnostic('error', 'KTS_UNCLOSED_BLOCK', loc, 'this `{` is never closed',
        'add the missing `}` (blocks still open at the end of the file are closed there)'));
      this.emitClose(loc);
    }
    this.attachLeaves();
    return this.out;
  }

  private openBlock(file: string, line: number, col: number): void {
    const head = this.pending;
    this.pending = null;
    const tooDeep = this.openKept >= MAX_BLOCK_DEPTH;
    const at = this.openCount++;
    this.openKeptFlags[at] = head !== null && !tooDeep;
    this.openFiles[at] = file;
    this.openLines[at] = line;
    this.openCols[at] = col;
    if (head === null) {
      this.diagnostics.push(diagnostic('error', 'KTS_BLOCK_WITHOUT_KEYWORD', { file, line, col }, 'this `{` does not follow a keyword',
        'put the keyword that owns the block before the `{`, or remove the braces'));
      return;
    }
    if (tooDeep) {
      this.pending = head;
      this.flushPending();
      this.diagnostics.push(diagnostic('error', 'KTS_BLOCK_TOO_DEEP', { file, line, col }, `blocks nest more than ${MAX_BLOCK_DEPTH} deep here`,
        'a `}` is probably missing further up'));
      return;
    }
    this.openKept++;
    this.attachLeaves();
    const headToken = { type: 'head' as const, value: head.keyword.text, keyword: head.keyword, args: head.args, leaves: null };
    this.out.push(headToken);
    this.carrier = headToken;
  }

  private closeBlock(loc: SourceLocation): void {
    if (this.openCount === 0) {
      this.diagnostics.push(diagnostic('error', 'KTS_UNEXPECTED_CLOSE_BRACE', loc, 'this `}` closes no open block',
        'remove it, or look above for a block closed too early'));
      return;
    }
    if (!this.openKeptFlags[--this.openCount]) return;
    this.openKept--;
    this.emitClose(loc);
  }

  /** Closes the innermost kept block: a block that holds no block becomes one leaf token. */
  private emitClose(loc: SourceLocation): void {
    this.attachLeaves();
    const last = this.out[this.out.length - 1];
    // A head still last in the output is this block's own: every block opened after it is closed.
    if (last !== undefined && last.type === 'head') {
      const statement: Statement = { keyword: last.keyword, args: last.args, block: last.leaves ?? [], blockEnd: loc };
      const leaf = { type: 'leaf' as const, value: last.value, statement, leaves: null };
      this.out[this.out.length - 1] = leaf;
      this.carrier = leaf;
      return;
    }
    const close = { type: 'close' as const, value: '}' as const, loc, leaves: null };
    this.out.push(close);
    this.carrier = close;
  }

  private flushPending(): void {
    if (this.pending === null) return;
    this.leaves[this.leafCount++] = this.pending;
    this.pending = null;
  }

  private attachLeaves(): void {
    this.flushPending();
    if (this.leafCount === 0) return;
    // Copied at their exact size: a block without sub-blocks keeps this array as its statements.
    const leaves = exactCopy(this.leaves, this.leafCount);
    this.leafCount = 0;
    if (this.carrier === null) this.out.push({ type: 'leaves', value: '', statements: leaves });
    else this.carrier.leaves = leaves;
  }
}
