// Conformance of the lexical layer with Debian's keepalived 2.2.7. For each feature we write small
// configs whose top-level lines are words keepalived does not know: `keepalived -t` then logs
// `(file: Line N) Unknown keyword 'WORD'` for the first word of every logical line it ends up with,
// after comments, quotes, includes, conditionals, substitution and ~SEQ/~LST. Our parser must
// produce the same first words, from the same file and line, in the same order.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';

const scratch = mkdtempSync(join(tmpdir(), 'ktscl-conformance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  /** Paths relative to the case directory; `main.conf` is the entry file. */
  readonly files: Readonly<Record<string, string>>;
  readonly configId?: string;
}

let caseNumber = 0;

function writeCase(c: Case): string {
  const dir = join(scratch, `case${caseNumber++}`);
  for (const [path, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), path === 'main.conf' ? `${MARKER}\n${text}` : text);
  }
  return dir;
}

/** The first line of every entry file: how often keepalived reports it tells how many processes read the config. */
const MARKER = 'w_marker';

/**
 * `file:line:word` for each line keepalived reports as an unknown keyword, per process: every
 * process (the parent, then the VRRP child) reads the whole config and logs its own list, so the
 * log splits into runs at each report of the marker line.
 */
function keepalivedWords(dir: string, configId: string): { parent: string[]; child: string[]; output: string } {
  const run = spawnSync('keepalived', ['-t', '-P', '-f', join(dir, 'main.conf'), '-i', configId,
    '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid'), '-c', join(dir, 'c.pid')], { encoding: 'utf8', timeout: 20_000 });
  const output = `${run.stdout}${run.stderr}`;
  const runs: string[][] = [];
  for (const line of output.split('\n')) {
    // The parent omits the entry file's name; the child names it with its full path.
    const m = /^\((?:(.+?): )?Line (\d+)\) Unknown keyword '(.*)'$/.exec(line);
    if (m === null) continue;
    const entry = `${m[1] === undefined ? 'main.conf' : basename(m[1])}:${m[2]}:${m[3]}`;
    if (entry === `main.conf:1:${MARKER}`) runs.push([]);
    runs.at(-1)?.push(entry);
  }
  return { parent: runs[0] ?? [], child: runs.at(-1) ?? [], output };
}

function ourWords(dir: string, configId: string): string[] {
  const result = parseConfig(join(dir, 'main.conf'), { configId, env: {} });
  return result.tree.map((s) => `${basename(s.keyword.loc.file)}:${s.keyword.loc.line}:${s.keyword.text}`);
}

/**
 * Compares our first words with keepalived's. By default with its VRRP child's view, which is the
 * config VRRP and LVS really get (the parent reads an escaped `\\#` differently).
 */
function conform(c: Case, view: 'child' | 'parent' = 'child'): string[] {
  const dir = writeCase(c);
  const configId = c.configId ?? 'main';
  const theirs = keepalivedWords(dir, configId);
  const ours = ourWords(dir, configId);
  expect(ours, `${c.name}\nkeepalived said:\n${theirs.output}`).toEqual(theirs[view]);
  expect(ours.length).toBeGreaterThan(0);
  return ours;
}

describe('lexical conformance with keepalived 2.2.7', () => {
  it('comments: # and ! anywhere outside double quotes, escaped or substituted ones included', () => {
    const words = conform({
      name: 'comments',
      files: {
        'main.conf': [
          'w_plain # comment', '  w_indented ! comment', '#whole line', '!whole line', 'w_hash#glued', 'w_bang!glued',
          '"w_q#uoted" x', '"w_q!uoted" x', 'w_esc\\#aped', '$H=${_HASH}', 'w_sub${_HASH}tail', '"w_subq${_HASH}tail"', 'w_end',
        ].join('\n') + '\n',
      },
    });
    expect(words).toContain('main.conf:8:w_q#uoted');
  });

  it('quotes: spaces kept inside, a quote starts a new word, single quotes are ordinary', () => {
    conform({
      name: 'quotes',
      files: { 'main.conf': ['"w a b"c', 'w_x"y z"', "'w_single quoted'", '"w_tab\tin" x', 'w_last'].join('\n') + '\n' },
    });
  });

  it('conditional lines: @id and @^id against -i', () => {
    const files = { 'main.conf': ['@main w_main', '@backup w_backup', '@^main w_not_main', '@^backup w_not_backup', '  @main   w_spaced', '@main', 'w_end'].join('\n') + '\n' };
    expect(conform({ name: 'conditional main', files, configId: 'main' })).toContain('main.conf:2:w_main');
    expect(conform({ name: 'conditional backup', files, configId: 'backup' })).toContain('main.conf:3:w_backup');
  });

  it('definitions: $NAME, ${NAME}, use-time binding, empty values, conditional definitions', () => {
    conform({
      name: 'definitions',
      files: {
        'main.conf': [
          '$V=w_val', '$V', '${V}x', 'pre$V post', '$Vx', 'w_u$UNDEF', '$E=', 'w_e${E}.', 'w_e$E.', '  $S=w_has space', '${S}',
          '$BASE=w_10.2.${SUB}', '$SUB=0', '${BASE}.100', '$SUB=10', '${BASE}.100',
          '@main $P=w_main_p', '@backup $P=w_backup_p', '$P', '$IF_MAIN=@main', '$IF_MAIN w_only_main', '$A=w_self $A', '$A',
        ].join('\n') + '\n',
      },
    });
  });

  it('substitution edge cases: quotes, spacing around =, comments in continuations, repeated conditionals', () => {
    conform({
      name: 'substitution edge cases',
      files: {
        'main.conf': [
          '$V=w_v', '"$V" x', '"${V} $V" x', '"w_q $V"', '$X =w_x', '$X', 'w_after',
          '$M= \\', '  w_m1 \\ # comment after the backslash', '  w_m2', '$M', '~SEQ(I, 1, 2) @main w_seq$I', '~SEQ(J, 1, 2) @^main w_not$J',
          '@main ~SEQ(K, 1, 2) w_k$K', '$V=w_redefined', '$V', 'w_end',
        ].join('\n') + '\n',
      },
    });
  });

  it('multi-line definitions, nested, with conditionals and definitions inside', () => {
    conform({
      name: 'multiline',
      files: {
        'main.conf': [
          '$INNER= \\', 'w_inner_${N}_${M} \\', 'w_inner2_$M', '$OUTER= \\', 'w_outer_$N \\', '@main w_outer_main \\', '@backup w_outer_backup \\',
          '$M=1 \\', '$INNER \\', '$M=2 \\', '$INNER', '$N=a', '$OUTER', '$N=b', '$OUTER', 'w_end',
        ].join('\n') + '\n',
      },
    });
  });

  it('pre-defined definitions: _PWD, _INSTANCE, _RANDOM with a fixed range', () => {
    conform({
      name: 'predefined',
      files: { 'main.conf': ['${_PWD}', 'w_${_INSTANCE}', 'w_r${_RANDOM 7 7}', '$_INSTANCE', 'w_end'].join('\n') + '\n' },
      configId: 'node7',
    });
  });

  it('~SEQ, ~SEQx and ~LST, nested and combined', () => {
    conform({
      name: 'sequences',
      files: {
        'main.conf': [
          '~SEQ(S, 0, 3) w_s$S', '~SEQ(T, 3) w_t$T', '~SEQ(U, 3, 1) w_u$U', '~SEQ(V, -2) w_v$V', '~SEQ(W, 10, -4, 1) w_w$W',
          '~SEQx(X, 0x90, 0x10, 0xc0) w_x${X}', '~SEQx(Y, 144, 16, 176) w_y${Y}', '~LST(L, a, b, c) w_l$L', '~LST({P, Q}, {1,2},{3,4}) w_pq${P}_${Q}',
          '~LST(I, 1, 2) ~SEQ(J, 5, 6) w_ij${I}_${J}', '~SEQ(1X, 2) w_badname', 'w_end',
        ].join('\n') + '\n',
      },
    });
  });

  it('includes: globs in sorted order, braces in written order, paths relative to the including file', () => {
    conform({
      name: 'includes',
      files: {
        'main.conf': [
          'w_start', 'include conf.d/*.conf', 'w_mid', 'include {vrrp,lvs}.conf', 'include missing.conf', 'includer opt/*.conf', 'w_end',
        ].join('\n') + '\n',
        'conf.d/b.conf': 'w_b1\ninclude ../sub/*.conf\nw_b2\n',
        'conf.d/a.conf': 'w_a1\n',
        'conf.d/.hidden.conf': 'w_hidden\n',
        'conf.d/c.txt': 'w_not_conf\n',
        'sub/x.conf': '${_PWD}\n',
        'vrrp.conf': 'w_vrrp\n',
        'lvs.conf': 'w_lvs\n',
      },
    });
  });

  it('includes written with a conditional or a substitution: included once, as keepalived\'s parent reads them', () => {
    const c: Case = {
      name: 'preprocessed includes',
      files: {
        'main.conf': ['w_start', '@main include lvs.conf', '@other include vrrp.conf', '$INC=include', '$INC vrrp.conf', 'w_end'].join('\n') + '\n',
        'vrrp.conf': 'w_vrrp\n',
        'lvs.conf': 'w_lvs\n',
      },
    };
    // Despite its man page, keepalived 2.2.7 finds these includes after conditionals and
    // substitution; its children then read them twice (the parent's expanded copy, and again).
    expect(conform(c, 'parent')).toEqual(['main.conf:1:w_marker', 'main.conf:2:w_start', 'lvs.conf:1:w_lvs', 'vrrp.conf:1:w_vrrp', 'main.conf:7:w_end']);
    const dir = writeCase(c);
    expect(keepalivedWords(dir, 'main').child.filter((w) => w === 'lvs.conf:1:w_lvs')).toHaveLength(2);
    const warnings = parseConfig(join(dir, 'main.conf'), { configId: 'main', env: {} }).diagnostics;
    expect(warnings).toMatchObject([{ code: 'KTS_INCLUDE_READ_TWICE', line: 3 }, { code: 'KTS_INCLUDE_READ_TWICE', line: 6 }]);
  });
});
