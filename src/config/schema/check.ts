// Applies the keyword tables to a generic block tree: every statement is looked up in its
// block's table, its arguments read by the table's ArgSpec, value-block lines by their grammar.
// The result keeps every accepted statement (nothing silently dropped) plus diagnostics.
import { CODES, type SchemaCode } from '../codes.js';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { Settings } from '../model.js';
import type { ConfigTree, SourceLocation, Statement, Word } from '../tree.js';
import { type AddressSpec, parseAddressLine } from '../values/address.js';
import { parseIp } from '../values/ip.js';
import type { LineResult } from '../values/line-result.js';
import { parseBool, parseDecimal, parseInteger, shortWholeNumber } from '../values/number.js';
import { type PeerSpec, parsePeerLine } from '../values/peer.js';
import { type RouteSpec, parseRouteLine } from '../values/route.js';
import { type RuleSpec, parseRuleLine } from '../values/rule.js';
import { type ServiceAddress, parseServiceAddress } from '../values/service-address.js';
import { type TrackedSpec, parseTrackedLine } from '../values/tracked.js';
import { type KeywordLookup, keywordsOf, wordsOf } from './index.js';
import { REMOVED_KEYWORDS } from './removed.js';
import { closestWord } from './suggest.js';
import type { ArgSpec, KeywordSpec, LineGrammar } from './types.js';

export type ArgValue = number | boolean | string | readonly string[] | null;
export type LineValue = AddressSpec | RouteSpec | RuleSpec | TrackedSpec | PeerSpec | ServiceAddress | string | readonly string[];

export interface CheckedLine {
  readonly value: LineValue;
  readonly loc: SourceLocation;
}

export interface CheckedStatement {
  /** Canonical keyword name (aliases resolved). */
  readonly name: string;
  readonly spec: KeywordSpec;
  readonly loc: SourceLocation;
  readonly args: readonly Word[];
  /** The argument as its ArgSpec reads it; null for a flag with no value. */
  readonly value: ArgValue;
  readonly block?: CheckedBlock;
  readonly lines?: readonly CheckedLine[];
}

export interface CheckedBlock {
  readonly table: string;
  readonly statements: readonly CheckedStatement[];
  /**
   * What the model builder derives from the block, kept on it because it reads a block many
   * times: its settings, and its statements by name when it is large (see build-model.ts).
   * Fields rather than WeakMaps keyed by the block: a large config has tens of thousands of blocks.
   */
  settings?: Settings;
  byName?: Map<string, CheckedStatement[]>;
}

/** A checked block with its derived fields present from the start, so all blocks share one shape. */
export function checkedBlock(table: string, statements: readonly CheckedStatement[]): CheckedBlock {
  return { table, statements, settings: undefined, byName: undefined };
}

export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  report(code: SchemaCode, loc: SourceLocation, message: string, hint?: string): void {
    this.diagnostics.push(diagnostic(CODES[code]!.severity, code, loc, message, hint));
  }
}

/** A CheckedStatement that takes its location from its keyword when asked (most never are). */
class Checked implements CheckedStatement {
  readonly name: string;
  block?: CheckedBlock;
  lines?: readonly CheckedLine[];
  constructor(
    readonly spec: KeywordSpec,
    private readonly keyword: Word,
    readonly args: readonly Word[],
    readonly value: ArgValue,
  ) {
    this.name = spec.name;
  }

  get loc(): SourceLocation {
    return this.keyword.loc;
  }
}

/** Why a statement's arguments were refused (rare, so a class; a success is the bare value). */
class ArgProblem {
  constructor(
    readonly code: SchemaCode,
    readonly at: Word | undefined,
    readonly message: string,
    readonly hint?: string,
  ) {}
}

type ArgResult = ArgValue | ArgProblem;

/** The argument value, or the problem; successes allocate no result object (one per statement). */
function readArgs(spec: ArgSpec, args: readonly Word[]): ArgResult {
  const first = args[0];
  switch (spec.kind) {
    case 'none':
      return null;
    case 'bool': {
      const parsed = parseBool(first?.text);
      return parsed.ok ? parsed.value : new ArgProblem('KTS_INVALID_VALUE', first, parsed.reason);
    }
    case 'int':
    case 'seconds': {
      if (!first) return spec.optional ? null : new ArgProblem('KTS_MISSING_ARGUMENT', undefined, 'needs a number');
      const whole = shortWholeNumber(first.text);
      if (whole >= 0 && whole >= spec.min && whole <= spec.max) return whole;
      const parsed = spec.kind === 'int' ? parseInteger(first.text, spec.min, spec.max) : parseDecimal(first.text, spec.min, spec.max, spec.digits);
      if (parsed.ok) return parsed.value;
      return new ArgProblem(parsed.reason.includes('outside range') ? 'KTS_OUT_OF_RANGE' : 'KTS_INVALID_VALUE', first, parsed.reason);
    }
    case 'string':
      if (!first) return spec.optional ? null : new ArgProblem('KTS_MISSING_ARGUMENT', undefined, 'needs a value');
      return first.text;
    case 'enum': {
      if (!first) return spec.optional ? null : new ArgProblem('KTS_MISSING_ARGUMENT', undefined, `needs one of ${spec.values.join(', ')}`);
      const match = spec.values.find((v) => (spec.anyCase ? v.toLowerCase() === first.text.toLowerCase() : v === first.text));
      if (match !== undefined) return match;
      const near = closestWord(first.text, spec.values);
      return new ArgProblem('KTS_INVALID_VALUE', first, `'${first.text}' is not one of ${spec.values.join(', ')}`, near ? `did you mean \`${near}\`?` : undefined);
    }
    case 'ip':
      if (!first) return new ArgProblem('KTS_MISSING_ARGUMENT', undefined, 'needs an IP address');
      return parseIp(first.text) ? first.text : new ArgProblem('KTS_INVALID_VALUE', first, `'${first.text}' is not an IP address`);
    case 'words':
      if (args.length < spec.min) return new ArgProblem('KTS_MISSING_ARGUMENT', undefined, `needs at least ${spec.min} argument${spec.min > 1 ? 's' : ''}`);
      if (spec.first && first && !spec.first.includes(first.text)) {
        const near = closestWord(first.text, spec.first);
        return new ArgProblem('KTS_INVALID_VALUE', first, `'${first.text}' is not one of ${spec.first.join(', ')}`, near ? `did you mean \`${near}\`?` : undefined);
      }
      return args.map((w) => w.text);
    case 'weight': {
      if (!first) return new ArgProblem('KTS_MISSING_ARGUMENT', undefined, 'needs a weight');
      const parsed = parseInteger(first.text, spec.min, spec.max);
      if (!parsed.ok) return new ArgProblem(parsed.reason.includes('outside range') ? 'KTS_OUT_OF_RANGE' : 'KTS_INVALID_VALUE', first, parsed.reason);
      const direction = args[1];
      if (direction && direction.text !== 'reverse' && direction.text !== 'noreverse') {
        return new ArgProblem('KTS_INVALID_VALUE', direction, `expected 'reverse' or 'noreverse', got '${direction.text}'`);
      }
      return [String(parsed.value), ...(direction ? [direction.text] : [])];
    }
  }
}

/** How many words an ArgSpec consumes at most (words: unlimited). */
function maxArgs(spec: ArgSpec): number {
  return spec.kind === 'none' ? 0 : spec.kind === 'words' ? Infinity : spec.kind === 'weight' ? 2 : 1;
}

function readLine(grammar: LineGrammar, words: readonly Word[]): LineResult<LineValue> {
  switch (grammar) {
    case 'address':
      return parseAddressLine(words);
    case 'route':
      return parseRouteLine(words);
    case 'rule':
      return parseRuleLine(words);
    case 'tracked':
      return parseTrackedLine(words);
    case 'peer':
      return parsePeerLine(words);
    case 'vsg-entry':
      return parseServiceAddress(words, 'virtual_server_group', { ranges: true });
    case 'name':
      return { value: words.map((w) => w.text).join(' '), problems: [] };
    case 'words':
      return { value: words.map((w) => w.text), problems: [] };
  }
}

/** Blocks up to this many statements look for duplicates by scanning. */
const SCAN_LIMIT = 16;

class TreeChecker {
  /** Aliases and parsed-only keywords already reported (each is reported once per load). */
  private readonly reportedOnce = new Set<object>();
  /** Inside a parsed-only block (bfd_instance, BFD_CHECK): its keywords are not reported again. */
  private insideParsedOnly = 0;
  constructor(private readonly sink: DiagnosticSink) {}

  checkBlock(table: string, statements: readonly Statement[]): CheckedBlock {
    // Sized up front (an array grown by push keeps room for 16 more), trimmed if some are refused.
    const checked = new Array<CheckedStatement>(statements.length);
    let count = 0;
    // Most blocks are small (a real_server, a checker): a scan finds an earlier statement of the
    // same name more cheaply than a Map built per block would.
    let seen: Map<string, CheckedStatement> | null = null;
    const keywords = keywordsOf(table);
    for (const statement of statements) {
      const result = this.checkStatement(table, keywords, statement);
      if (!result) continue;
      let previous: CheckedStatement | undefined;
      if (seen !== null) {
        previous = seen.get(result.name);
        seen.set(result.name, result);
      } else {
        for (let i = count - 1; i >= 0 && previous === undefined; i--) if (checked[i]!.name === result.name) previous = checked[i];
        if (count >= SCAN_LIMIT) seen = new Map(checked.slice(0, count).map((s) => [s.name, s])).set(result.name, result);
      }
      if (previous && !result.spec.repeatable) {
        this.sink.report('KTS_DUPLICATE_KEYWORD', result.loc, `'${result.name}' already set at line ${previous.loc.line}; this one wins`);
      }
      checked[count++] = result;
    }
    if (count < checked.length) checked.length = count;
    return checkedBlock(table, checked);
  }

  private checkStatement(table: string, keywords: ReadonlyMap<string, KeywordLookup>, statement: Statement): CheckedStatement | undefined {
    const { keyword, args } = statement;
    const found = keywords.get(keyword.text);
    if (!found && table === 'vrrp_sync_group' && args.length === 0 && !statement.block) {
      this.sink.report('KTS_SYNC_GROUP_BARE_MEMBER', keyword.loc, `'${keyword.text}' outside group { } is ignored (keepalived ignores it too)`, `move it into \`group { ${keyword.text} }\``);
      return undefined;
    }
    if (!found) {
      const near = closestWord(keyword.text, wordsOf(table));
      const hint = REMOVED_KEYWORDS[keyword.text] ?? (near ? `did you mean \`${near}\`?` : undefined);
      const where = table === 'root' ? 'at top level' : `in ${table.replace(/\.\w+$/, '')}`;
      const blockNote = statement.block ? ' (its block is ignored too)' : '';
      this.sink.report('KTS_UNKNOWN_KEYWORD', keyword.loc, `unknown keyword '${keyword.text}' ${where}${blockNote}`, hint);
      return undefined;
    }
    const { spec, alias } = found;
    if (found.absentIn227) {
      this.sink.report('KTS_NOT_IN_KEEPALIVED_227', keyword.loc, `'${keyword.text}' is not known to keepalived 2.2.7 (keepalived-ts accepts it)`, 'drop it if this config must also load in keepalived 2.2.7');
    }
    if (alias?.reported) this.sink.report('KTS_DEPRECATED', keyword.loc, `'${alias.name}' is deprecated`, `use '${spec.name}'`);
    if (spec.deprecation !== undefined) this.sink.report('KTS_DEPRECATED', keyword.loc, `'${spec.name}' is deprecated`, spec.deprecation);
    else if (alias && !alias.reported && !this.reportedOnce.has(alias)) {
      this.reportedOnce.add(alias);
      this.sink.report('KTS_ALIAS', keyword.loc, `'${alias.name}' is the old name of '${spec.name}' (reported once)`);
    }
    if (spec.support === 'parsed' && this.insideParsedOnly === 0 && !this.reportedOnce.has(spec)) {
      this.reportedOnce.add(spec);
      const inner = spec.block !== undefined ? ' (nor on anything in its block)' : '';
      this.sink.report('KTS_NOT_IMPLEMENTED', keyword.loc, `'${spec.name}' is parsed but keepalived-ts does not act on it yet${inner}`);
    }
    const takesBlock = spec.block !== undefined || spec.lines !== undefined;
    if (takesBlock && !statement.block) {
      this.sink.report('KTS_BLOCK_EXPECTED', keyword.loc, `'${keyword.text}' must be followed by a { } block`);
      return undefined;
    }
    if (!takesBlock && statement.block) {
      this.sink.report('KTS_UNEXPECTED_BLOCK', keyword.loc, `'${keyword.text}' does not take a { } block; the block is ignored`);
    }
    // Block headers (`vrrp_instance NAME`, `real_server IP PORT`) are read by the model builder.
    const header = takesBlock && spec.args.kind === 'words';
    const read = readArgs(spec.args, args);
    if (read instanceof ArgProblem) {
      this.sink.report(read.code, read.at?.loc ?? keyword.loc, `${spec.name}: ${read.message}`, read.hint);
      return undefined;
    }
    if (!header && args.length > maxArgs(spec.args)) {
      const extra = args[maxArgs(spec.args)]!;
      this.sink.report('KTS_EXTRA_ARGUMENTS', extra.loc, `'${spec.name}' takes ${maxArgs(spec.args) === 0 ? 'no arguments' : 'one argument'}; '${extra.text}' and after are ignored`);
    }
    const checked = new Checked(spec, keyword, args, read);
    if (spec.block !== undefined) {
      const parsedOnly = spec.support === 'parsed';
      if (parsedOnly) this.insideParsedOnly++;
      checked.block = this.checkBlock(spec.block, statement.block ?? []);
      if (parsedOnly) this.insideParsedOnly--;
    }
    else if (spec.lines !== undefined) checked.lines = this.checkLines(spec.lines, statement.block ?? []);
    return checked;
  }

  private checkLines(grammar: LineGrammar, statements: readonly Statement[]): CheckedLine[] {
    const lines: CheckedLine[] = [];
    for (const line of statements) {
      if (line.block) this.sink.report('KTS_UNEXPECTED_BLOCK', line.keyword.loc, `'${line.keyword.text}' cannot open a block here`);
      const result = readLine(grammar, [line.keyword, ...line.args]);
      for (const problem of result.problems) this.sink.report(problem.code, problem.at.loc, problem.message, problem.hint);
      if (result.value !== undefined) lines.push({ value: result.value, loc: line.keyword.loc });
    }
    return lines;
  }
}

export function checkTree(tree: ConfigTree, sink: DiagnosticSink): CheckedBlock {
  return new TreeChecker(sink).checkBlock('root', tree);
}
