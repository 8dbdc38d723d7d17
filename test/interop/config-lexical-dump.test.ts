// Block structure and in-block values against keepalived 2.2.7's own dump (-d): keepalived runs
// briefly in a throw-away network namespace and prints what it parsed; our tree must yield the
// same router_id, the same vrrp_instances and the same virtual IPs in each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import type { Statement } from '../../src/config/tree.js';

const namespace = `ktscl-dump-${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), 'ktscl-dump-'));
const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });

beforeAll(() => {
  for (const args of [['netns', 'add', namespace], ['-n', namespace, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
    ['-n', namespace, 'link', 'set', 'v0', 'up'], ['-n', namespace, 'link', 'set', 'v1', 'up'], ['-n', namespace, 'link', 'set', 'lo', 'up']]) {
    const r = ip(...args);
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  }
});

afterAll(() => {
  ip('netns', 'del', namespace);
  rmSync(scratch, { recursive: true, force: true });
});

// Braces in every position keepalived allows, values built by the preprocessor, quotes with spaces.
const CONFIG = `global_defs {
  router_id "w r"   # quoted, space kept
}
$VIP_BASE=10.0.\${NET}
$NET=7
vrrp_instance VI_A
{
  state BACKUP
  interface v0
  virtual_router_id 10
  priority 100
  virtual_ipaddress { 10.0.0.1/32 }
}
vrrp_instance VI_B { state BACKUP
  interface v0 ; virtual_router_id is on the next line
  virtual_router_id 11
  priority 100
  virtual_ipaddress {
    ~SEQ(H, 1, 3) \${VIP_BASE}.\${H}/32
    @main 10.0.9.1/32
    @^main 10.0.9.2/32
    "10.0.9.3/32"
  } } vrrp_instance VI_C {
  state BACKUP
  interface v0
  virtual_router_id 12
  priority 100
  virtual_ipaddress
  {
    10.0.8.1/32 # trailing comment
    10.0.8.2/32 ! other comment
  }
}
`;

interface View {
  routerId: string | undefined;
  instances: Record<string, string[]>;
}

function keepalivedView(file: string): { view: View; output: string } {
  const run = spawnSync('ip', ['netns', 'exec', namespace, 'timeout', '-s', 'INT', '3', 'keepalived', '-n', '-l', '-D', '-d', '--vrrp',
    '-i', 'main', '-f', file, '-p', join(scratch, 'k.pid'), '-r', join(scratch, 'v.pid'), '-c', join(scratch, 'c.pid')], { encoding: 'utf8', timeout: 20_000 });
  const output = `${run.stdout}${run.stderr}`;
  const view: View = { routerId: undefined, instances: {} };
  let current: string[] | null = null;
  let inVips = false;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^.*?\d{4}: /, '');
    const router = /^\s+Router ID = (.*)$/.exec(line);
    if (router && view.routerId === undefined) view.routerId = router[1];
    const instance = /^\s+VRRP Instance = (\S+)$/.exec(line);
    if (instance) {
      current = view.instances[instance[1]!] = [];
      inVips = false;
      continue;
    }
    if (/^\s+Virtual IP \(\d+\):$/.test(line)) {
      inVips = true;
      continue;
    }
    const vip = /^\s+(\S+) dev /.exec(line);
    if (inVips && vip && current) current.push(vip[1]!);
    else inVips = false;
  }
  return { view, output };
}

function ourView(file: string): View {
  const { tree } = parseConfig(file, { configId: 'main', env: {} });
  const find = (block: readonly Statement[] | undefined, keyword: string) => block?.filter((s) => s.keyword.text === keyword) ?? [];
  const view: View = { routerId: find(find(tree, 'global_defs')[0]?.block, 'router_id')[0]?.args[0]?.text, instances: {} };
  for (const instance of find(tree, 'vrrp_instance')) {
    view.instances[instance.args[0]!.text] = find(instance.block, 'virtual_ipaddress')
      .flatMap((s) => s.block ?? [])
      .map((s) => s.keyword.text.replace(/\/32$/, ''));
  }
  return view;
}

describe('block structure against keepalived -d', () => {
  it('gives the same router_id, instances and virtual IPs as keepalived', () => {
    const file = join(scratch, 'keepalived.conf');
    writeFileSync(file, CONFIG);
    const theirs = keepalivedView(file);
    const ours = ourView(file);
    expect(ours, theirs.output).toEqual(theirs.view);
    expect(ours.routerId).toBe('w r');
    expect(ours.instances['VI_B']).toEqual(['10.0.7.1', '10.0.7.2', '10.0.7.3', '10.0.9.1', '10.0.9.3']);
  });
});
