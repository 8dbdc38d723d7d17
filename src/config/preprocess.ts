// keepalived's line preprocessing, in the order keepalived 2.2.7 applies it (measured, see
// test/interop/config-lexical-*): comments are cut from each physical line; each line then goes
// through `@id` conditionals, `$NAME=` definitions (multi-line ones collect `\`-continued lines),
// `~SEQ`/`~LST` repetition and `$NAME`/`${NAME}` substitution (re-running the steps on what
// substitution produced); what remains is an include, which splices in other files, or words for
// the line lexer. Every character keeps the source column it came from; substituted text takes
// the column of the `$` that was replaced.
import { dirname, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { CHECK_BRACE_MATCH, CHECK_MATCH, CHECK_READABLE, CHECK_WILDCARD_MATCH, IncludeCheckTracker } from './include-check.js';
import { columnOf, isBlank, lexLine, trimBlanks, trimBlanksEnd, type LogicalLine, type TokenSink } from './lexer.js';
import { MAX_REPETITIONS, parseRepetition, repetitionKind, type Binding } from './preprocess-sequences.js';
import { expandBraces, globFiles, hasWildcard, type ConfigFileSystem } from './source-files.js';
import type { SourceLocation } from './tree.js';

export interface PreprocessOptions {
  /** Compared with `@id` lines and given as `${_INSTANCE}`. */
  readonly configId: string;
  /** For `${_ENV VAR}`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fs: ConfigFileSystem;
  /** Uniform in [0, 1), for `${_RANDOM}`. */
  readonly random: () => number;
}

export interface PreprocessResult {
  readonly diagnostics: Diagnostic[];
  /** Every file read, the entry file first. */
  readonly files: string[];
}

/** Beyond this, a file probably includes itself. */
const MAX_INCLUDE_DEPTH = 32;
/** Bounds substitution re-runs on one line (self-references are already stopped by name). */
const MAX_SUBSTITUTION_DEPTH = 64;
/** keepalived reads lines with a 1024-byte buffer (MAXBUF), so 1023 bytes of text at a time. */
const KEEPALIVED_LINE_LIMIT = 1023;
const NAME_START = /[A-Za-z_]/;
const NAME_REST = /[A-Za-z0-9_]/;
const NOTHING_EXPANDING: ReadonlySet<string> = new Set();

/** The checks each include variant adds to the include_check level (see include-check.ts). */
const INCLUDE_VARIANTS: Readonly<Record<string, number>> = {
  include: 0,
  includer: CHECK_READABLE,
  includem: CHECK_READABLE | CHECK_MATCH,
  includew: CHECK_READABLE | CHECK_MATCH | CHECK_WILDCARD_MATCH,
  includeb: CHECK_READABLE | CHECK_BRACE_MATCH,
  includea: CHECK_READABLE | CHECK_MATCH | CHECK_WILDCARD_MATCH | CHECK_BRACE_MATCH,
};

/**
 * Where a line's comment starts: the first `#` or `!` outside double quotes, or the line's length.
 * keepalived 2.2.7's parent process turns `\#` into `#` and its children then cut the line there,
 * so an escaped comment character still starts a comment (at its backslash).
 */
export function commentStart(text: string, from = 0, to = text.length): number {
  let quoted = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && (c === 35 /* # */ || c === 33 /* ! */)) return i > from && text.charCodeAt(i - 1) === 92 /* \ */ ? i - 1 : i;
  }
  return to;
}

interface PendingDefinition {
  readonly name: string;
  readonly lines: string[];
  readonly loc: SourceLocation;
}

/** Preprocesses and lexes `entryFile` (or `text` in its place), handing every token to `sink` in order. */
export function preprocess(entryFile: string, text: string | null, options: PreprocessOptions, sink: TokenSink): PreprocessResult {
  const run = new Preprocessor(options, sink);
  const file = resolve(entryFile);
  if (text === null) {
    try {
      text = options.fs.readFile(file);
    } catch (error) {
      run.diagnostics.push(diagnostic('error', 'KTS_FILE_UNREADABLE', { file, line: 1, col: 1 },
        `cannot read configuration file: ${(error as Error).message}`, 'check the path given with -f and its permissions'));
      return run.result();
    }
  }
  run.processFile(file, text, 0);
  return run.result();
}

class Preprocessor {
  readonly diagnostics: Diagnostic[] = [];
  readonly files: string[] = [];
  private readonly definitions = new Map<string, string>();
  private pending: PendingDefinition | null = null;
  /** How deep in includes the file being read is. */
  private includeDepth = 0;
  /** Lines all ~SEQ/~LST blocks together may still produce. */
  private repetitionBudget = MAX_REPETITIONS;

  /** Lexed lines pass through it, so `include_check` statements take effect for later includes. */
  private readonly sink: IncludeCheckTracker;

  constructor(
    private readonly options: PreprocessOptions,
    sink: TokenSink,
  ) {
    this.sink = new IncludeCheckTracker(sink, this.diagnostics);
  }

  result(): PreprocessResult {
    return { diagnostics: this.diagnostics, files: this.files };
  }

  processFile(file: string, text: string, depth: number): void {
    this.files.push(file);
    const outerDepth = this.includeDepth;
    this.includeDepth = depth;
    // keepalived restores the include_check level when an included file ends.
    const outerCheckLevel = this.sink.level;
    // Lines are found with indexOf rather than split, so a line costs one string: its trimmed
    // body (the same pieces as text.split('\n'), including the empty one after a final newline).
    for (let start = 0, index = 0; start <= text.length; index++) {
      const newline = text.indexOf('\n', start);
      const next = newline < 0 ? text.length + 1 : newline + 1;
      let end = newline < 0 ? text.length : newline;
      if (end > start && text.charCodeAt(end - 1) === 13 /* \r */) end--;
      const lineStart = start;
      start = next;
      if (end - lineStart > KEEPALIVED_LINE_LIMIT / 4) this.checkLineLength(text.slice(lineStart, end), file, index + 1);
      const cut = commentStart(text, lineStart, end);
      if (cut < end && text.charCodeAt(cut) === 92 /* \ */) this.warnEscapedCommentChar(file, index + 1, cut - lineStart + 1);
      if (this.pending !== null) {
        this.continueDefinition(text.slice(lineStart, cut));
        continue;
      }
      let bodyStart = lineStart;
      while (bodyStart < cut && isBlank(text.charCodeAt(bodyStart))) bodyStart++;
      let bodyEnd = cut;
      while (bodyEnd > bodyStart && isBlank(text.charCodeAt(bodyEnd - 1))) bodyEnd--;
      if (bodyEnd === bodyStart) continue;
      const line: LogicalLine = { text: text.slice(bodyStart, bodyEnd), file, line: index + 1, cols: null, baseCol: bodyStart - lineStart + 1 };
      this.processLine(line, 0, NOTHING_EXPANDING);
    }
    if (this.pending !== null) {
      this.diagnostics.push(diagnostic('error', 'KTS_DEFINITION_UNTERMINATED', this.pending.loc,
        `multi-line definition of $${this.pending.name} is still open at the end of ${file}`,
        'end the definition with a line that does not finish with `\\`'));
      this.finishDefinition();
    }
    this.includeDepth = outerDepth;
    this.sink.level = outerCheckLevel;
  }

  private checkLineLength(raw: string, file: string, line: number): void {
    const bytes = Buffer.byteLength(raw);
    if (bytes <= KEEPALIVED_LINE_LIMIT) return;
    this.diagnostics.push(diagnostic('warning', 'KTS_LINE_TOO_LONG', { file, line, col: 1 },
      `this line is ${bytes} bytes long; keepalived 2.2.7 reads ${KEEPALIVED_LINE_LIMIT} bytes at a time and treats the rest as a new line`,
      'shorten the line, e.g. with a $NAME=value definition or a script file'));
  }

  private warnEscapedCommentChar(file: string, line: number, col: number): void {
    this.diagnostics.push(diagnostic('warning', 'KTS_ESCAPED_COMMENT_CHAR', { file, line, col },
      'keepalived 2.2.7 still starts a comment at an escaped # or !, so the rest of this line is ignored',
      'put the text in double quotes ("a#b"), where # and ! do not start comments'));
  }

  private continueDefinition(code: string): void {
    const pending = this.pending!;
    const trimmed = trimBlanks(code);
    if (trimmed.endsWith('\\')) {
      pending.lines.push(trimBlanks(trimmed.slice(0, -1)));
      return;
    }
    pending.lines.push(trimmed);
    this.finishDefinition();
  }

  private finishDefinition(): void {
    const pending = this.pending!;
    this.definitions.set(pending.name, pending.lines.filter((l) => l !== '').join('\n'));
    this.pending = null;
  }

  private include(line: LogicalLine, keyword: string, variantChecks: number, depth: number): void {
    // The name is read from the raw line: the line lexer would split a brace expansion apart.
    const name = /^\S+\s+(\S+)/.exec(line.text);
    const at: SourceLocation = { file: line.file, line: line.line, col: line.baseCol };
    if (name === null) {
      this.diagnostics.push(diagnostic('error', 'KTS_INCLUDE_MISSING_PATH', at, `'${keyword}' needs a file name or pattern`,
        `write e.g. \`${keyword} /etc/keepalived/conf.d/*.conf\``));
      return;
    }
    // keepalived keeps quotes in an include name: `include "a.conf"` looks for a file named "a.conf" with the quotes.
    const target = { text: name[1]!, loc: locationAt(line, name[0].length - name[1]!.length) };
    if (depth >= MAX_INCLUDE_DEPTH) {
      this.diagnostics.push(diagnostic('error', 'KTS_INCLUDE_TOO_DEEP', target.loc, `includes nest more than ${MAX_INCLUDE_DEPTH} deep`,
        'a file probably includes itself'));
      return;
    }
    const checks = variantChecks | this.sink.level;
    /** Who asks for a check, for the hint: the variant itself or the include_check level. */
    const askedBy = (check: number) => ((variantChecks & check) !== 0 ? `'${keyword}'` : 'include_check');
    const base = dirname(line.file);
    const alternatives = expandBraces(target.text);
    let matched = 0;
    for (const alternative of alternatives) {
      const matches = globFiles(resolve(base, alternative), this.options.fs);
      if (matches.length === 0 && (checks & CHECK_BRACE_MATCH) !== 0 && alternatives.length > 1) {
        this.diagnostics.push(diagnostic('error', 'KTS_INCLUDE_CHECK_FAILED', target.loc, `no file matches the brace alternative '${alternative}'`,
          `${askedBy(CHECK_BRACE_MATCH)} requires every brace alternative to match`));
      }
      matched += matches.length;
      for (const path of matches) {
        let text: string;
        try {
          text = this.options.fs.readFile(path);
        } catch (error) {
          const readable = (checks & CHECK_READABLE) !== 0;
          this.diagnostics.push(diagnostic(readable ? 'error' : 'warning', readable ? 'KTS_INCLUDE_CHECK_FAILED' : 'KTS_INCLUDE_UNREADABLE',
            target.loc, `cannot read included file ${path}: ${(error as Error).message}`, 'check that the path is a readable file, not a directory'));
          continue;
        }
        this.processFile(path, text, depth + 1);
      }
    }
    if (matched > 0) return;
    const wildcard = hasWildcard(target.text);
    const check = wildcard ? CHECK_WILDCARD_MATCH : CHECK_MATCH;
    const required = (checks & check) !== 0;
    // keepalived logs a missing file named without wildcards for every variant, but only the checks make it an error.
    if (required || !wildcard || keyword === 'include') {
      this.diagnostics.push(diagnostic(required ? 'error' : 'warning', required ? 'KTS_INCLUDE_CHECK_FAILED' : 'KTS_INCLUDE_NO_MATCH', target.loc,
        `no file matches '${target.text}' (relative to ${base})`,
        required ? `check the path; ${askedBy(check)} requires a match` : 'fix the path, or use includer with a wildcard for optional files'));
    }
  }

  /**
   * Conditionals, definitions, repetition and substitution of one logical line, then lexing.
   * `expanding` holds the names whose values produced this line: like keepalived, a definition is
   * not expanded again inside its own expansion, so `$A=x ${A}` leaves the inner `${A}` alone.
   */
  private processLine(line: LogicalLine, depth: number, expanding: ReadonlySet<string>): void {
    let current = line;
    if (current.text.startsWith('@')) {
      const kept = this.conditional(current);
      if (kept === null) return;
      current = kept;
    }
    const first = current.text.charCodeAt(0);
    if (first === 36 /* $ */) {
      const definition = /^\$([A-Za-z_][A-Za-z0-9_]*)=/.exec(current.text);
      if (definition !== null) {
        this.define(definition[1]!, trimBlanks(current.text.slice(definition[0].length)), current);
        return;
      }
    } else if (first === 126 /* ~ */) {
      const kind = repetitionKind(current.text);
      if (kind !== null) {
        this.repeat(current, kind, depth, expanding);
        return;
      }
    }
    if (depth >= MAX_SUBSTITUTION_DEPTH) {
      this.diagnostics.push(diagnostic('error', 'KTS_SUBSTITUTION_TOO_DEEP', locationAt(current, 0),
        `parameter substitution nests more than ${MAX_SUBSTITUTION_DEPTH} deep`, 'a definition probably refers to itself'));
      return;
    }
    if (!current.text.includes('$')) {
      this.emit(current, current !== line || depth > 0);
      return;
    }
    const replacedNames = new Set(expanding);
    const substituted = this.substitute(current, expanding, replacedNames);
    if (substituted === null) {
      this.emit(current, current !== line || depth > 0);
      return;
    }
    for (const piece of splitLines(substituted)) this.processLine(piece, depth + 1, replacedNames);
  }

  /**
   * A fully preprocessed line: an include, or words for the grammar. keepalived 2.2.7 recognises
   * includes after conditionals and substitution (`@main include x.conf` and `$INC x.conf` with
   * `$INC=include` both include), although its man page says they are found before.
   */
  private emit(line: LogicalLine, preprocessed: boolean): void {
    if (line.text.startsWith('include')) {
      const keyword = /^\S+/.exec(line.text)![0];
      const checks = INCLUDE_VARIANTS[keyword];
      if (checks !== undefined) {
        if (preprocessed) {
          this.diagnostics.push(diagnostic('warning', 'KTS_INCLUDE_READ_TWICE', locationAt(line, 0),
            `keepalived 2.2.7 reads an ${keyword} that comes out of a conditional or a substitution twice in its VRRP and checker processes`,
            'write the include on a line of its own, without @id or $NAME'));
        }
        this.include(line, keyword, checks, this.includeDepth);
        return;
      }
    }
    lexLine(line, this.sink, this.diagnostics);
  }

  private conditional(line: LogicalLine): LogicalLine | null {
    const match = /^@(\^?)(\S*)\s*/.exec(line.text)!;
    const negated = match[1] === '^';
    const id = match[2]!;
    if (id === '') {
      this.diagnostics.push(diagnostic('warning', 'KTS_CONDITIONAL_EMPTY', locationAt(line, 0), 'conditional line has no config id after the @',
        'write @ID immediately followed by the id, e.g. `@main router_id main_router`'));
    }
    const keep = (id === this.options.configId) !== negated;
    if (!keep) return null;
    const rest = sliceLine(line, match[0].length);
    return rest.text === '' ? null : rest;
  }

  private define(name: string, value: string, line: LogicalLine): void {
    if (value.endsWith('\\')) {
      const first = trimBlanks(value.slice(0, -1));
      this.pending = { name, lines: first === '' ? [] : [first], loc: locationAt(line, 0) };
      return;
    }
    this.definitions.set(name, value);
  }

  private repeat(line: LogicalLine, kind: 'SEQ' | 'SEQx' | 'LST', depth: number, expanding: ReadonlySet<string>): void {
    const parsed = parseRepetition(line.text, kind);
    if (!parsed.ok) {
      this.diagnostics.push(diagnostic('error', parsed.code, locationAt(line, 0), parsed.message,
        kind === 'LST' ? 'write ~LST(var, value1, value2, ...) or ~LST({a,b}, {1,2}, ...)' : 'write ~SEQ(var, start, step, end)'));
      return;
    }
    const rest = sliceLine(line, parsed.restIndex);
    if (rest.text === '') return;
    for (const binding of parsed.bindings) {
      if (--this.repetitionBudget < 0) {
        if (this.repetitionBudget === -1) {
          this.diagnostics.push(diagnostic('error', 'KTS_SEQUENCE_TOO_LONG', locationAt(line, 0),
            `~SEQ/~LST blocks would produce more than ${MAX_REPETITIONS} lines; the rest are dropped`, 'check the ranges of the sequences'));
        }
        return;
      }
      const saved = this.bind(binding);
      this.processLine(rest, depth + 1, expanding);
      this.unbind(saved);
    }
  }

  private bind(binding: Binding): Array<readonly [string, string | undefined]> {
    const saved = binding.map(([name]) => [name, this.definitions.get(name)] as const);
    for (const [name, value] of binding) this.definitions.set(name, value);
    return saved;
  }

  private unbind(saved: Array<readonly [string, string | undefined]>): void {
    for (const [name, value] of saved) {
      if (value === undefined) this.definitions.delete(name);
      else this.definitions.set(name, value);
    }
  }

  /** One pass of `$NAME` / `${NAME}` replacement, or null when nothing was replaced. */
  private substitute(line: LogicalLine, blocked: ReadonlySet<string>, replacedNames: Set<string>): LogicalLine | null {
    const text = line.text;
    let out = '';
    const cols: number[] = [];
    let copiedUpTo = 0;
    let replaced = false;
    const copy = (from: number, to: number) => {
      out += text.slice(from, to);
      for (let i = from; i < to; i++) cols.push(columnOf(line, i));
    };
    for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i + 1)) {
      const reference = this.readReference(line, i, blocked, replacedNames);
      if (reference === null) continue;
      copy(copiedUpTo, i);
      out += reference.value;
      const col = columnOf(line, i);
      for (let k = 0; k < reference.value.length; k++) cols.push(col);
      copiedUpTo = reference.end;
      replaced = true;
      i = reference.end - 1;
    }
    if (!replaced) return null;
    copy(copiedUpTo, text.length);
    // keepalived cuts comments again after substitution: an unquoted ${_HASH} starts one.
    const cut = commentStart(out);
    return { text: cut === out.length ? out : out.slice(0, cut), file: line.file, line: line.line, cols, baseCol: line.baseCol };
  }

  /** The replacement for the reference starting with the `$` at `at`, if it is one that is replaced. */
  private readReference(line: LogicalLine, at: number, blocked: ReadonlySet<string>, replacedNames: Set<string>): { value: string; end: number } | null {
    const text = line.text;
    if (text[at + 1] === '{') {
      const close = text.indexOf('}', at + 2);
      if (close < 0) return null;
      const value = this.lookup(text.slice(at + 2, close), line, at, blocked, replacedNames);
      return value === null ? null : { value, end: close + 1 };
    }
    if (!NAME_START.test(text[at + 1] ?? '')) return null;
    let end = at + 2;
    while (end < text.length && NAME_REST.test(text[end]!)) end++;
    if (end < text.length && !isBlank(text.charCodeAt(end))) return null;
    const value = this.lookup(text.slice(at + 1, end), line, at, blocked, replacedNames);
    return value === null ? null : { value, end };
  }

  /** The value `reference` stands for (noting its name in `replacedNames`), or null to leave it as written. */
  private lookup(reference: string, line: LogicalLine, at: number, blocked: ReadonlySet<string>, replacedNames: Set<string>): string | null {
    const defined = this.definitions.get(reference);
    if (defined !== undefined) {
      if (!blocked.has(reference)) {
        replacedNames.add(reference);
        return defined;
      }
      this.diagnostics.push(diagnostic('warning', 'KTS_SUBSTITUTION_RECURSIVE', locationAt(line, at),
        `$${reference} is used inside its own value; it is left unreplaced there, as keepalived does`, 'remove the self-reference from the definition'));
      return null;
    }
    switch (reference) {
      case '_PWD':
        return dirname(line.file);
      case '_INSTANCE':
        return this.options.configId;
      case '_HASH':
        return '#';
      case '_BANG':
        return '!';
    }
    const random = /^_RANDOM(?:\s+(\d+)(?:\s+(\d+))?)?\s*$/.exec(reference);
    if (random !== null) return this.random(random[1], random[2], line, at);
    const env = /^_ENV\s+(\S+)\s*$/.exec(reference);
    if (env !== null) {
      this.diagnostics.push(diagnostic('warning', 'KTS_ENV_NOT_IN_KEEPALIVED_227', locationAt(line, at),
        '${_ENV ...} is replaced here, but keepalived 2.2.7 does not know it and leaves it in the line',
        'keep it only if every node runs keepalived-ts or keepalived 2.4+'));
      return this.options.env[env[1]!] ?? '';
    }
    return null;
  }

  private random(minText: string | undefined, maxText: string | undefined, line: LogicalLine, at: number): string {
    const min = minText === undefined ? 0 : Number(minText);
    const max = maxText === undefined ? 32767 : Number(maxText);
    if (max < min) {
      this.diagnostics.push(diagnostic('error', 'KTS_RANDOM_INVALID', locationAt(line, at), `\${_RANDOM ${min} ${max}}: MAX is below MIN`,
        'write ${_RANDOM MIN MAX} with MIN <= MAX'));
      return String(min);
    }
    return String(min + Math.floor(this.options.random() * (max - min + 1)));
  }
}

function locationAt(line: LogicalLine, index: number): SourceLocation {
  return { file: line.file, line: line.line, col: columnOf(line, index) };
}

/** The line from `start` on, leading whitespace dropped, with its columns. */
function sliceLine(line: LogicalLine, start: number): LogicalLine {
  let from = start;
  while (from < line.text.length && isBlank(line.text.charCodeAt(from))) from++;
  const text = line.text.slice(from);
  return line.cols === null
    ? { text, file: line.file, line: line.line, cols: null, baseCol: line.baseCol + from }
    : { text, file: line.file, line: line.line, cols: line.cols.slice(from), baseCol: line.baseCol };
}

/** A substituted multi-line definition becomes several logical lines at the place of use. */
function splitLines(line: LogicalLine): LogicalLine[] {
  if (!line.text.includes('\n')) return [sliceLine(line, 0)];
  const pieces: LogicalLine[] = [];
  let start = 0;
  for (const part of line.text.split('\n')) {
    const cols = line.cols === null ? null : line.cols.slice(start, start + part.length);
    const piece: LogicalLine = { text: part, file: line.file, line: line.line, cols, baseCol: line.baseCol + start };
    const trimmed = sliceLine(piece, 0);
    if (trimmed.text !== '') pieces.push({ ...trimmed, text: trimBlanksEnd(trimmed.text) });
    start += part.length + 1;
  }
  return pieces;
}
