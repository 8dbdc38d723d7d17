// Entry points of the lexical layer: file(s) → preprocessed block tokens → repaired brace
// structure → nearley block tree. Never throws on bad input: every problem is a Diagnostic.
import { hostname } from 'node:os';
import nearley from 'nearley';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import grammar from './generated/keepalived.js';
import { isBrace, StructureTokenSource, type LexedToken, type LineToken, type StructureToken } from './lexer.js';
import { preprocess, type PreprocessResult } from './preprocess.js';
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
  return finish(preprocess(entryFile, null, resolveOptions(options)));
}

/** Parses `text` as if it were the file `fileName` (includes are resolved relative to it). */
export function parseConfigText(text: string, fileName: string, options: ParseOptions = {}): ParseResult {
  return finish(preprocess(fileName, text, resolveOptions(options)));
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

function finish(pre: PreprocessResult): ParseResult {
  const diagnostics = pre.diagnostics;
  const tokens = structureTokens(pre.tokens, diagnostics);
  const fallbackLoc = { file: pre.files[0] ?? '', line: 1, col: 1 };
  try {
    const parser = new nearley.Parser(compiledGrammar, { lexer: new StructureTokenSource(tokens) });
    parser.feed('');
    const tree = parser.results[0] as ConfigTree | undefined;
    if (tree !== undefined) return { tree, diagnostics, files: pre.files };
    diagnostics.push(diagnostic('error', 'KTS_INTERNAL_PARSE_ERROR', fallbackLoc, 'the block parser produced no tree'));
  } catch (error) {
    diagnostics.push(diagnostic('error', 'KTS_INTERNAL_PARSE_ERROR', fallbackLoc, `the block parser failed: ${(error as Error).message}`));
  }
  return { tree: [], diagnostics, files: pre.files };
}

/**
 * Turns lexed lines and braces into the grammar's tokens, repairing the braces so the grammar
 * always accepts them and reporting each repair: a `}` closing nothing is dropped; a `{` not
 * preceded by a keyword line is dropped with its matching `}` (its contents stay at the enclosing
 * level, as keepalived reads them); blocks still open at the end are closed there.
 */
/** keepalived's deepest real nesting is 4 or 5 (virtual_server > real_server > HTTP_GET > url); this bounds runaway input. */
const MAX_BLOCK_DEPTH = 64;

export function structureTokens(tokens: readonly LexedToken[], diagnostics: Diagnostic[]): StructureToken[] {
  const out: StructureToken[] = [];
  /** For each open `{`: whether it was kept, and where it stood. */
  const open: Array<{ kept: boolean; loc: SourceLocation }> = [];
  let openKept = 0;
  let pending: LineToken | null = null;
  /** Block-less statements since the last head or close (or the start), attached to it later. */
  let leaves: Statement[] | null = null;
  /** The token the current `leaves` ride on: the last head or close emitted, or null at the start. */
  let carrier: { leaves: Statement[] | null } | null = null;
  const flushPending = () => {
    if (pending === null) return;
    if (leaves === null) leaves = [];
    leaves.push(pending);
    pending = null;
  };
  const attachLeaves = () => {
    flushPending();
    if (leaves === null) return;
    if (carrier === null) out.push({ type: 'leaves', value: '', statements: leaves });
    else carrier.leaves = leaves;
    leaves = null;
  };
  for (const token of tokens) {
    if (!isBrace(token)) {
      flushPending();
      pending = token;
    } else if (token.type === 'open') {
      const head: LineToken | null = pending;
      pending = null;
      const tooDeep = openKept >= MAX_BLOCK_DEPTH;
      open.push({ kept: head !== null && !tooDeep, loc: token.loc });
      if (head === null) {
        diagnostics.push(diagnostic('error', 'KTS_BLOCK_WITHOUT_KEYWORD', token.loc, 'this `{` does not follow a keyword',
          'put the keyword that owns the block before the `{`, or remove the braces'));
        continue;
      }
      if (tooDeep) {
        pending = head;
        flushPending();
        diagnostics.push(diagnostic('error', 'KTS_BLOCK_TOO_DEEP', token.loc, `blocks nest more than ${MAX_BLOCK_DEPTH} deep here`,
          'a `}` is probably missing further up'));
        continue;
      }
      openKept++;
      attachLeaves();
      const headToken = { type: 'head' as const, value: head.keyword.text, keyword: head.keyword, args: head.args, leaves: null };
      out.push(headToken);
      carrier = headToken;
    } else {
      const block = open.pop();
      if (block === undefined) {
        diagnostics.push(diagnostic('error', 'KTS_UNEXPECTED_CLOSE_BRACE', token.loc, 'this `}` closes no open block',
          'remove it, or look above for a block closed too early'));
        continue;
      }
      if (!block.kept) continue;
      openKept--;
      attachLeaves();
      const close = { type: 'close' as const, value: '}' as const, loc: token.loc, leaves: null };
      out.push(close);
      carrier = close;
    }
  }
  for (let i = open.length - 1; i >= 0; i--) {
    const block = open[i]!;
    if (!block.kept) continue;
    diagnostics.push(diagnostic('error', 'KTS_UNCLOSED_BLOCK', block.loc, 'this `{` is never closed',
      'add the missing `}` (blocks still open at the end of the file are closed there)'));
    attachLeaves();
    const close = { type: 'close' as const, value: '}' as const, loc: block.loc, leaves: null };
    out.push(close);
    carrier = close;
  }
  attachLeaves();
  return out;
}
