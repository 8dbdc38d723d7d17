// Seeded mutation fuzzing of the lexical layer: whatever the bytes, parseConfigText returns a
// tree and diagnostics that point inside the input; it never throws.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse.js';
import type { ConfigFileSystem } from '../../src/config/source-files.js';
import type { Statement } from '../../src/config/tree.js';

const MAIN = '/fuzz/keepalived.conf';

const SEEDS = [
  `global_defs {
  router_id LVS_1 # comment
  notification_email { ops@example.com }
  @main vrrp_strict
}
$VIP=192.0.2.10
$IF=eth0
vrrp_instance VI_1 {
  state MASTER
  interface $IF
  virtual_router_id 51
  priority 100
  authentication { auth_type PASS
    auth_pass "se cret" }
  virtual_ipaddress {
    \${VIP}/24 dev \${IF} label \${IF}:1
    ~SEQ(N, 1, 3) 192.0.2.\${N}0/32
  }
  notify_master "/etc/keepalived/notify.sh master" ! trailing
}
include conf.d/*.conf
`,
  `$RS= \\
real_server 10.0.0.\${R} 80 { \\
  weight 1 \\
  TCP_CHECK { connect_timeout 3 } \\
}
virtual_server 10.0.0.1 80
{
  delay_loop 6
  lb_algo rr
  ~LST(R, 2, 3, 4) $RS
  @^backup sorry_server 10.0.0.9 80
}
`,
  `vrrp_script chk { script "/bin/true"
interval 2 }
vrrp_sync_group G { group { VI_1 VI_2 } }
static_ipaddress {
  10.9.9.9/32 dev lo scope host
}
includer missing/*.conf
includea {a,b}.conf
`,
  // No preprocessor features at all.
  `global_defs { router_id "r 1" } # c
vrrp_instance VI_9 {
  state BACKUP ! c
  interface eth0
  virtual_ipaddress {
    192.0.2.9/24 dev eth0
  }
  notify "/bin/echo a#b"
}
`,
];

const FILES: Record<string, string> = {
  '/fuzz/conf.d/one.conf': 'vrrp_instance VI_2 {\n  interface eth1\n}\n',
  '/fuzz/conf.d/self.conf': 'include self.conf\n',
  '/fuzz/a.conf': 'a {\n',
  '/fuzz/b.conf': '} }\n"unterminated\n',
};

const fs: ConfigFileSystem = {
  readFile: (path) => {
    const text = FILES[path];
    if (text === undefined) throw new Error(`ENOENT ${path}`);
    return text;
  },
  readDirectory: (dir) => Object.keys(FILES).filter((p) => p.startsWith(dir + '/') && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)),
  exists: (path) => path in FILES,
};

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['{', '}', '"', '#', '!', '\\', '\n', '$', '${', '$VIP', '${_RANDOM 9 1}', '@', '@^', '~SEQ(', '~LST(', ')', ',', ' ', '\t', '\r',
  'include ', 'includea ', '*', '{x,y}', '$X=\\\n', '~SEQ(Q,1,99999999)', '\u00e9', '\u0000', '${_ENV HOME}'];

function mutate(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  let out = text;
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(out.length + 1);
    switch (pick(7)) {
      case 0: out = out.slice(0, at) + PIECES[pick(PIECES.length)] + out.slice(at); break;
      case 1: out = out.slice(0, at) + out.slice(at + 1 + pick(8)); break;
      case 2: out = out.slice(0, at) + String.fromCharCode(pick(256)) + out.slice(at); break;
      case 3: {
        const lines = out.split('\n');
        const i = pick(lines.length);
        lines.splice(i, 0, lines[i] ?? '');
        out = lines.join('\n');
        break;
      }
      case 4: out = out.slice(0, at); break;
      case 5: out = out.slice(0, at) + '\ninclude ' + ['nope.conf', 'conf.d/self.conf', '/fuzz/*.conf', '{a,b}.conf'][pick(4)] + '\n' + out.slice(at); break;
      default: {
        const lines = out.split('\n');
        lines.splice(pick(lines.length), 1);
        out = lines.join('\n');
      }
    }
  }
  return out;
}

function lineLengths(text: string): number[] {
  return text.split('\n').map((l) => l.length);
}

describe('lexical layer under fuzzing', () => {
  it('never throws on 100,000 seeded mutations and only reports locations inside the input', () => {
    const random = prng(0x6b74_7363);
    let diagnosticsSeen = 0;

    let problems: string[] = [];
    for (let i = 0; i < 100_000 && problems.length === 0; i++) {
      const text = mutate(SEEDS[i % SEEDS.length]!, random);
      const lengths: Record<string, number[]> = { [MAIN]: lineLengths(text) };
      for (const [path, content] of Object.entries(FILES)) lengths[path] = lineLengths(content);
      const inside = (file: string, line: number, col: number) => {
        const lines = lengths[file];
        return lines !== undefined && line >= 1 && line <= lines.length && col >= 1 && col <= lines[line - 1]! + 1;
      };
      let result;
      try {
        result = parseConfigText(text, MAIN, { configId: 'main', env: { HOME: '/root' }, fs, random });
      } catch (error) {
        problems.push(`mutation ${i} threw ${(error as Error).stack}\n${JSON.stringify(text)}`);
        break;
      }
      diagnosticsSeen += result.diagnostics.length;
      for (const d of result.diagnostics) {
        if (!inside(d.file, d.line, d.col)) problems.push(`mutation ${i}: ${d.code} at ${d.file}:${d.line}:${d.col} is outside\n${JSON.stringify(text)}`);
        if (d.code === 'KTS_INTERNAL_PARSE_ERROR') problems.push(`mutation ${i}: ${d.message}\n${JSON.stringify(text)}`);
      }
      const walk = (statements: readonly Statement[]) => {
        for (const s of statements) {
          for (const w of [s.keyword, ...s.args]) {
            if (!inside(w.loc.file, w.loc.line, w.loc.col)) problems.push(`mutation ${i}: word '${w.text}' at ${JSON.stringify(w.loc)} is outside\n${JSON.stringify(text)}`);
          }
          if (s.block) walk(s.block);
        }
      };
      walk(result.tree);
      problems = problems.slice(0, 3);
    }
    expect(problems).toEqual([]);
    // The mutations really do break configs: most runs must have produced diagnostics.
    expect(diagnosticsSeen).toBeGreaterThan(50_000);
  }, 120_000);
});
