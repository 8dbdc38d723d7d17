import { describe, expect, it } from 'vitest';
import { parseConfigText, type ParseOptions } from '../../src/config/parse.js';
import type { ConfigFileSystem } from '../../src/config/source-files.js';
import type { Statement } from '../../src/config/tree.js';

const FILE = '/etc/keepalived/keepalived.conf';
const lines = (statements: readonly Statement[]): string[] =>
  statements.flatMap((s) => [[s.keyword.text, ...s.args.map((a) => a.text)].join(' '), ...(s.block ? lines(s.block).map((l) => '  ' + l) : [])]);
const parse = (text: string, options: ParseOptions = {}) => parseConfigText(text, FILE, { configId: 'main', env: {}, ...options });

/** In-memory files keyed by absolute path. */
function memoryFs(files: Record<string, string>): ConfigFileSystem {
  return {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    readDirectory: (dir) => {
      const prefix = dir.endsWith('/') ? dir : dir + '/';
      const names = new Set<string>();
      for (const path of Object.keys(files)) if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]!);
      return [...names];
    },
    exists: (path) => path in files || Object.keys(files).some((p) => p.startsWith(path + '/')),
  };
}

describe('conditional lines', () => {
  it('keeps @id lines for the config id and @^id lines for every other id', () => {
    const text = '@main a 1\n@backup a 2\n@^main b 1\n@^backup b 2\nc\n';
    expect(lines(parse(text).tree)).toEqual(['a 1', 'b 2', 'c']);
    expect(lines(parse(text, { configId: 'backup' }).tree)).toEqual(['a 2', 'b 1', 'c']);
  });

  it('points the kept words at their own columns', () => {
    const r = parse('  @main router_id x\n');
    expect(r.tree[0]!.keyword.loc.col).toBe(9);
    expect(r.tree[0]!.args[0]!.loc.col).toBe(19);
  });
});

describe('parameter substitution', () => {
  it('replaces $NAME before whitespace or end of line and ${NAME} anywhere, leaving undefined names', () => {
    const r = parse('$V=val\n$E=\na $V b${V}c $Vx $U x$V\nz${E}. z$E.\n');
    expect(lines(r.tree)).toEqual(['a val bvalc $Vx $U xval', 'z. z$E.']);
  });

  it('substitutes at use time, recursively', () => {
    const text = '$BASE=10.2.${SUB}\n$SUB=0\n${BASE}.100/32\n$SUB=10\n${BASE}.100/32\n';
    expect(lines(parse(text).tree)).toEqual(['10.2.0.100/32', '10.2.10.100/32']);
  });

  it('works with conditional definitions and definitions that expand to a conditional', () => {
    expect(lines(parse('@main $P=240\n@backup $P=200\npriority $P\n').tree)).toEqual(['priority 240']);
    expect(lines(parse('$IF_MAIN=@main\n$IF_MAIN priority 240\n').tree)).toEqual(['priority 240']);
    expect(lines(parse('$IF_MAIN=@main\n$IF_MAIN priority 240\n', { configId: 'other' }).tree)).toEqual([]);
  });

  it('points a substituted word at the $ where it was used', () => {
    const r = parse('$ADDR=10.0.0.1\nvip  ${ADDR} x\n');
    expect(r.tree[0]!.args.map((w) => [w.text, w.loc.line, w.loc.col])).toEqual([['10.0.0.1', 2, 6], ['x', 2, 14]]);
  });

  it('expands multi-line definitions into several lines, nested and with conditionals inside', () => {
    const text = [
      '$RS= \\',
      'real_server 192.168.${VS}.${RS_NUM} 80 { \\',
      '  weight 1 \\',
      '}',
      '$VS_DEF= \\',
      'virtual_server 10.0.${VS}.4 80 { \\',
      '  @main quorum 2 \\',
      '  @backup quorum 3 \\',
      '  $RS_NUM=1 \\',
      '  $RS \\',
      '  $RS_NUM=2 \\',
      '  $RS \\',
      '}',
      '$VS=0',
      '$VS_DEF',
      '$VS=1',
      '$VS_DEF',
    ].join('\n');
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(lines(r.tree)).toEqual([
      'virtual_server 10.0.0.4 80', '  quorum 2', '  real_server 192.168.0.1 80', '    weight 1', '  real_server 192.168.0.2 80', '    weight 1',
      'virtual_server 10.0.1.4 80', '  quorum 2', '  real_server 192.168.1.1 80', '    weight 1', '  real_server 192.168.1.2 80', '    weight 1',
    ]);
    expect(r.tree[1]!.keyword.loc).toEqual({ file: FILE, line: 17, col: 1 });
  });

  it('reports a multi-line definition left open at the end of the file', () => {
    const r = parse('$X= \\\na \\');
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_DEFINITION_UNTERMINATED', line: 1 }]);
  });

  it('leaves a self-reference unreplaced inside its own expansion, as keepalived does, and warns', () => {
    const r = parse('$A=x $A\nv $A\n');
    expect(lines(r.tree)).toEqual(['v x $A']);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_SUBSTITUTION_RECURSIVE', severity: 'warning', line: 2, col: 3 }]);
  });

  it('expands mutually recursive definitions once each', () => {
    const r = parse('$A=a$B\n$B=b$A\nv ${A}\n');
    expect(lines(r.tree)).toEqual(['v ab$A']);
  });
});

describe('pre-defined definitions', () => {
  it('gives _PWD, _INSTANCE, _HASH, _BANG and _RANDOM', () => {
    const r = parse('a ${_PWD} ${_INSTANCE} "x${_HASH}y ${_BANG}" ${_RANDOM} ${_RANDOM 5 7} ${_RANDOM 3}\n', { random: () => 0.5 });
    expect(lines(r.tree)).toEqual(['a /etc/keepalived main x#y ! 16384 6 16385']);
  });

  it('starts a comment at an unquoted ${_HASH} or ${_BANG}, as keepalived 2.2.7 does', () => {
    expect(lines(parse('a x${_HASH}y z\nb ${_BANG} c\n').tree)).toEqual(['a x', 'b']);
  });

  it('replaces ${_ENV VAR} and warns that keepalived 2.2.7 does not', () => {
    const r = parse('a ${_ENV HOME}x\n', { env: { HOME: '/root' } });
    expect(lines(r.tree)).toEqual(['a /rootx']);
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_ENV_NOT_IN_KEEPALIVED_227', severity: 'warning', col: 3 }]);
  });

  it('reports a _RANDOM range with MAX below MIN', () => {
    expect(parse('a ${_RANDOM 9 3}\n').diagnostics).toMatchObject([{ code: 'KTS_RANDOM_INVALID' }]);
  });
});

describe('~SEQ and ~LST', () => {
  it('repeats the rest of the line over a sequence', () => {
    expect(lines(parse('~SEQ(S, 0, 3) ip 10.0.${S}.1\n').tree)).toEqual(['ip 10.0.0.1', 'ip 10.0.1.1', 'ip 10.0.2.1', 'ip 10.0.3.1']);
    expect(lines(parse('~SEQ(S, 3) s$S\n').tree)).toEqual(['s1', 's2', 's3']);
    expect(lines(parse('~SEQ(S, 3, 1) s$S\n').tree)).toEqual(['s3', 's2', 's1']);
    expect(lines(parse('~SEQ(S, -2) s$S\n').tree)).toEqual(['s-1', 's-2']);
    expect(lines(parse('~SEQ(S, 10, -4, 1) s$S\n').tree)).toEqual(['s10', 's6', 's2']);
  });

  it('formats ~SEQx values in hexadecimal and accepts hex bounds', () => {
    expect(lines(parse('~SEQx(S, 0x90, 0x10, 0xc0) fe80::${S}:1\n').tree)).toEqual(['fe80::90:1', 'fe80::a0:1', 'fe80::b0:1', 'fe80::c0:1']);
    expect(lines(parse('~SEQx(S, 144, 16, 160) ${S}\n').tree)).toEqual(['90', 'a0']);
  });

  it('nests sequences and lists, outermost first', () => {
    expect(lines(parse('~LST(A, 1, 2) ~SEQ(B, 5, 6) ${A}.${B}\n').tree)).toEqual(['1.5', '1.6', '2.5', '2.6']);
  });

  it('binds several variables from {...} groups', () => {
    expect(lines(parse('~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}\n').tree)).toEqual(['192.168.10.1', '192.168.20.4']);
  });

  it('keeps each repeated word at the column where it was written', () => {
    const r = parse('~SEQ(I,1,2) peer 10.0.0.$I\n');
    expect(r.tree.map((s) => [s.keyword.loc.col, s.args[0]!.loc.col])).toEqual([[13, 18], [13, 18]]);
  });

  it('reports malformed specifications', () => {
    expect(parse('~SEQ(, 3) a\n').diagnostics).toMatchObject([{ code: 'KTS_SEQUENCE_INVALID', line: 1, col: 1 }]);
    expect(lines(parse('~SEQ(1X, 2) a\n').tree)).toEqual(['a', 'a']);
    expect(parse('~SEQ(X, a, 3) a\n').diagnostics).toMatchObject([{ code: 'KTS_SEQUENCE_INVALID' }]);
    expect(parse('~SEQ(X, 1, 0, 3) a\n').diagnostics).toMatchObject([{ code: 'KTS_SEQUENCE_INVALID' }]);
    expect(parse('~SEQ(X, 3 a\n').diagnostics).toMatchObject([{ code: 'KTS_SEQUENCE_INVALID' }]);
    expect(parse('~LST({A,B}, {1}) a\n').diagnostics).toMatchObject([{ code: 'KTS_LIST_INVALID' }]);
    expect(parse('~SEQ(X, 0, 1, 99999999) a\n').diagnostics).toMatchObject([{ code: 'KTS_SEQUENCE_TOO_LONG' }]);
    expect(parse('~SEQx(X, -3, -1, -5) a\n').diagnostics).toMatchObject([{ code: 'KTS_SEQUENCE_INVALID' }]);
    expect(parse('~LST(X, a b, c) a\n').diagnostics).toMatchObject([{ code: 'KTS_LIST_INVALID' }]);
  });
});

describe('include', () => {
  const files = {
    '/etc/keepalived/conf.d/b.conf': 'b 1\ninclude ../sub/*.conf\n',
    '/etc/keepalived/conf.d/a.conf': 'a {\n',
    '/etc/keepalived/conf.d/.hidden.conf': 'hidden\n',
    '/etc/keepalived/sub/x.conf': 'x ${_PWD}\n',
    '/etc/keepalived/vrrp.conf': 'vrrp\n',
    '/etc/keepalived/lvs.conf': 'lvs\n',
  };

  it('splices globbed files in sorted order, relative to the including file, and lists every file read', () => {
    const r = parse('include conf.d/*.conf\n}\nend\n', { fs: memoryFs(files) });
    expect(lines(r.tree)).toEqual(['a', '  b 1', '  x /etc/keepalived/sub', 'end']);
    expect(r.files).toEqual([FILE, '/etc/keepalived/conf.d/a.conf', '/etc/keepalived/conf.d/b.conf', '/etc/keepalived/sub/x.conf']);
    expect(r.tree[0]!.block![1]!.keyword.loc.file).toBe('/etc/keepalived/sub/x.conf');
    expect(r.diagnostics).toEqual([]);
  });

  it('recognises includes after conditionals and substitution, as keepalived 2.2.7 does', () => {
    const r = parse('@main include lvs.conf\n@other include vrrp.conf\n$I=include\n$I vrrp.conf\n', { fs: memoryFs(files) });
    expect(lines(r.tree)).toEqual(['lvs', 'vrrp']);
    expect(r.tree[1]!.keyword.loc.file).toBe('/etc/keepalived/vrrp.conf');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['KTS_INCLUDE_READ_TWICE', 1], ['KTS_INCLUDE_READ_TWICE', 4]]);
  });

  it('expands braces in order', () => {
    const r = parse('include {lvs,vrrp}.conf\n', { fs: memoryFs(files) });
    expect(lines(r.tree)).toEqual(['lvs', 'vrrp']);
  });

  it('tolerates a missing file with plain include (warning) and fails the checking variants (error)', () => {
    const fs = memoryFs(files);
    expect(parse('include nope.conf\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_NO_MATCH', severity: 'warning', col: 9 }]);
    expect(parse('includer nope/*.conf\n', { fs }).diagnostics).toEqual([]);
    expect(parse('includer nope.conf\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_NO_MATCH', severity: 'warning' }]);
    expect(parse('includer conf.d\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_CHECK_FAILED', severity: 'error' }]);
    expect(parse('include conf.d\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_UNREADABLE', severity: 'warning' }]);
    expect(parse('include "lvs.conf"\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_NO_MATCH' }]);
    expect(parse('includem nope.conf\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_CHECK_FAILED', severity: 'error' }]);
    expect(parse('includem nope/*.conf\n', { fs }).diagnostics).toEqual([]);
    expect(parse('includew nope/*.conf\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_CHECK_FAILED' }]);
    expect(parse('includeb {lvs,nope}.conf\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_CHECK_FAILED' }]);
    expect(parse('include\n', { fs }).diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_MISSING_PATH' }]);
  });

  it('stops a file that includes itself', () => {
    const fs = memoryFs({ [FILE]: 'include keepalived.conf\n' });
    const r = parse('include keepalived.conf\n', { fs });
    expect(r.diagnostics).toMatchObject([{ code: 'KTS_INCLUDE_TOO_DEEP' }]);
  });
});
