import nearley from 'nearley';
import { describe, expect, it } from 'vitest';
import grammar from '../../src/config/generated/keepalived.js';
import { StructureTokenSource, listToArray, type ParsedConfig, type ParserColumns, type StructureToken } from '../../src/config/lexer.js';
import { parseConfigText } from '../../src/config/parse.js';
import type { Statement, Word } from '../../src/config/tree.js';

const FILE = '/etc/keepalived/keepalived.conf';
const parse = (text: string) => parseConfigText(text, FILE, { configId: 'main', env: {} });
/** A compact view of a tree: keyword and args joined, blocks nested. */
const shape = (statements: readonly Statement[]): unknown[] =>
  statements.map((s) => {
    const head = [s.keyword.text, ...s.args.map((a) => a.text)].join(' ');
    return s.block === undefined ? head : { [head]: shape(s.block) };
  });

describe('config lexer and block structure', () => {
  it('cuts # and ! comments outside double quotes only', () => {
    const r = parse('router_id a # c\nnotify "x # y ! z" w ! c\nfoo!bar\n');
    expect(shape(r.tree)).toEqual(['router_id a', 'notify x # y ! z w', 'foo']);
    expect(r.diagnostics).toEqual([]);
  });

  it('still starts a comment at an escaped \\# (keepalived 2.2.7) and warns about it', () => {
    const r = parse('a b\\#c d\n');
    expect(shape(r.tree)).toEqual(['a b']);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_ESCAPED_COMMENT_CHAR', severity: 'warning', line: 1, col: 4 }]);
  });

  it('keeps spaces in double-quoted words and starts a new word at a quote', () => {
    const r = parse('a "b c"d e"f g"\n');
    expect(r.tree[0]!.args.map((w) => [w.text, w.quoted])).toEqual([['b c', true], ['d', false], ['e', false], ['f g', true]]);
  });

  it('accepts braces anywhere on a line', () => {
    const r = parse('vrrp_instance X {\n  virtual_ipaddress { 10.0.0.1 }\n}\nvirtual_server 10.0.0.2 80\n{\n real_server 10.0.0.3 80 { weight 1 } }\n');
    expect(shape(r.tree)).toEqual([
      { 'vrrp_instance X': [{ virtual_ipaddress: ['10.0.0.1'] }] },
      { 'virtual_server 10.0.0.2 80': [{ 'real_server 10.0.0.3 80': ['weight 1'] }] },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('gives every word its file, line and column', () => {
    const r = parse('global_defs {\n\trouter_id   "r 1"\n}\n');
    const routerId = r.tree[0]!.block![0]!;
    expect(routerId.keyword.loc).toEqual({ file: FILE, line: 2, col: 2 });
    expect(routerId.args[0]!.loc).toEqual({ file: FILE, line: 2, col: 14 });
    expect(r.tree[0]!.blockEnd).toEqual({ file: FILE, line: 3, col: 1 });
  });

  it('gives words far to the right their exact column and quoting too', () => {
    // Columns past 2047 do not fit the packed position most words keep.
    const r = parse(`a b\n${' '.repeat(2046)}near "q" ${' '.repeat(10)}far "far q"\n`);
    const [near, far] = [r.tree[1]!, r.tree[1]!.args[1]!];
    expect(near.keyword.loc).toEqual({ file: FILE, line: 2, col: 2047 });
    expect([near.args[0]!.text, near.args[0]!.quoted, near.args[0]!.loc.col]).toEqual(['q', true, 2052]);
    expect([far.text, far.quoted, far.loc]).toEqual(['far', false, { file: FILE, line: 2, col: 2066 }]);
    expect([near.args[2]!.text, near.args[2]!.quoted, near.args[2]!.loc.col]).toEqual(['far q', true, 2070]);
  });

  it('reports an unclosed block where it was opened and closes it at the end', () => {
    const r = parse('a {\n b {\n  c\n }\n');
    expect(shape(r.tree)).toEqual([{ a: [{ b: ['c'] }] }]);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_UNCLOSED_BLOCK', line: 1, col: 3, severity: 'error' }]);
  });

  it('reports a stray } and drops it', () => {
    const r = parse('a { b }\n}\nc\n');
    expect(shape(r.tree)).toEqual([{ a: ['b'] }, 'c']);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_UNEXPECTED_CLOSE_BRACE', line: 2, col: 1 }]);
  });

  it('reports a block that follows no keyword and keeps its contents at the enclosing level', () => {
    const r = parse('a { b }\n{ c }\n');
    expect(shape(r.tree)).toEqual([{ a: ['b'] }, 'c']);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_BLOCK_WITHOUT_KEYWORD', line: 2, col: 1 }]);
  });

  it('refuses to nest blocks more than 64 deep and keeps the contents at the deepest level', () => {
    const r = parse('a {\n'.repeat(70) + 'x\n' + '}\n'.repeat(70));
    let depth = 1;
    let level = r.tree;
    while (level[0]!.block !== undefined) {
      level = level[0]!.block;
      depth++;
    }
    expect(depth).toBe(65);
    expect(level.map((s) => s.keyword.text)).toEqual(['a', 'a', 'a', 'a', 'a', 'a', 'x']);
    expect(r.diagnostics.filter((d) => d.code === 'KTS_BLOCK_TOO_DEEP')).toHaveLength(6);
    expect(r.diagnostics.every((d) => d.code === 'KTS_BLOCK_TOO_DEEP')).toBe(true);
  });

  it('reports an unterminated quote and keeps the rest of the line as the word', () => {
    const r = parse('notify "abc def\n');
    expect(r.tree[0]!.args[0]).toMatchObject({ text: 'abc def', quoted: true });
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_UNTERMINATED_QUOTE', line: 1, col: 8 }]);
  });

  it('warns about lines keepalived 2.2.7 would split (over 1023 bytes) but reads them whole', () => {
    const r = parse(`notify_master "${'x'.repeat(1100)}"\nshort\n`);
    expect(r.tree[0]!.args[0]!.text).toHaveLength(1100);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_LINE_TOO_LONG', severity: 'warning', line: 1, col: 1 }]);
  });

  it('handles CRLF line ends', () => {
    expect(shape(parse('a {\r\n b 1\r\n}\r\n').tree)).toEqual([{ a: ['b 1'] }]);
  });

  it('keeps every word exact when many words share a slot of the repeated-word cache', () => {
    // 10,000 distinct words of one length and their repeats: more words than cache slots, so
    // slots collide and are replaced; each word must still come out as written.
    const names = Array.from({ length: 10_000 }, (_, i) => `w${String(i).padStart(4, '0')}`);
    const text = names.map((name, i) => `${name} ${names[(i * 7919) % names.length]} ${name}\n`).join('');
    expect(shape(parse(text).tree)).toEqual(names.map((name, i) => `${name} ${names[(i * 7919) % names.length]} ${name}`));
  });

  it('lets go of the grammar columns nearley has passed, leaving its table an array', () => {
    const word = (text: string): Word => ({ text, quoted: false, loc: { file: FILE, line: 1, col: 1 } });
    const loc = { file: FILE, line: 3, col: 1 };
    const leaf = (name: string): StructureToken => ({ type: 'leaf', value: name, statement: { keyword: word(name), args: [], block: [], blockEnd: loc }, leaves: null });
    const tokens: StructureToken[] = [
      { type: 'head', value: 'a', keyword: word('a'), args: [], leaves: null },
      leaf('b'),
      leaf('c'),
      { type: 'close', value: '}', loc, leaves: null },
    ];
    const source = new StructureTokenSource(tokens);
    const parser = new nearley.Parser(nearley.Grammar.fromCompiled(grammar), { lexer: source, keepHistory: true });
    source.release(parser as unknown as ParserColumns);
    parser.feed('');
    const parsed = parser.results[0] as ParsedConfig;
    expect(shape(listToArray(parsed.leading, parsed.list))).toEqual([{ a: [{ b: [] }, { c: [] }] }]);
    const table = (parser as unknown as ParserColumns).table;
    // Only the last column is still needed (for the results); without keepHistory nearley would
    // `delete` the others itself, turning its table into a hash table.
    expect(table.length).toBe(tokens.length + 1);
    expect(table.slice(0, -1).every((column) => column === undefined)).toBe(true);
    expect(table.at(-1)).toBeDefined();
  });
});
