// Every ipvsadm rules fixture converts, through the real CLI and with every --checker, to a
// keepalived.conf that Debian's keepalived 2.2.7 accepts with `-t` (exit 0: nothing reported),
// and so does our own `-t`. The configs hold only virtual_server blocks (and global_defs), so no
// interfaces are needed; each check still runs in a throw-away network namespace, with pid files
// in a scratch folder, so nothing can touch the host's daemons.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'keepalived-ts');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ipvsadm');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.rules')).sort();
const CHECKERS = ['none', 'tcp', 'http'] as const;
const NAMESPACE = `ktsci-t${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), 'ktsci-interop-'));

function run(command: string, args: readonly string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

beforeAll(() => {
  const added = run('ip', ['netns', 'add', NAMESPACE]);
  if (added.status !== 0) throw new Error(`ip netns add: ${added.output}`);
});

afterAll(() => {
  run('ip', ['netns', 'del', NAMESPACE]);
  rmSync(scratch, { recursive: true, force: true });
});

describe('convert ipvsadm output passes keepalived -t', () => {
  it('has a fixture for every kind of rules file (save output, hand-written, edits)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures.flatMap((name) => CHECKERS.map((checker) => [name, checker] as const)))('%s with --checker %s', (name, checker) => {
    const output = join(scratch, `${name}-${checker}.conf`);
    const convert = run(process.execPath, [CLI, 'convert', 'ipvsadm', join(FIXTURES, name), '--checker', checker, '-o', output]);
    expect(convert.status, convert.output).toBe(0);
    expect(convert.output).toMatch(/converted .*: [1-9]\d* virtual_server/);
    const pids = ['-p', join(scratch, 'k.pid'), '-c', join(scratch, 'c.pid'), '-r', join(scratch, 'v.pid')];
    const keepalived = run('ip', ['netns', 'exec', NAMESPACE, 'keepalived', '-t', '-f', output, ...pids]);
    expect(keepalived.status, keepalived.output).toBe(0);
    const ours = run('ip', ['netns', 'exec', NAMESPACE, process.execPath, CLI, '-t', '-f', output, ...pids]);
    expect(ours.status, ours.output).toBe(0);
  });
});
