// Shared by the convert and examples interop tests: runs Debian's `keepalived -t` and ours on a config inside a throw-away network namespace holding the interfaces the
// config names (veth pairs), with pid files in a scratch directory so nothing touches the host's daemons.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Verdict {
  readonly status: number | null;
  readonly output: string;
}

export interface ConfigTestResult {
  readonly keepalived: Verdict;
  readonly ours: Verdict;
}

const ROOT = join(import.meta.dirname, '..', '..');
let counter = 0;

function run(command: string, args: readonly string[]): Verdict {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function must(command: string, args: readonly string[]): void {
  const result = run(command, args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.output}`);
}

/** Runs both config tests on `configPath` in a namespace with dummy links named `interfaces`. */
export function configTest(configPath: string, interfaces: readonly string[], configId?: string): ConfigTestResult {
  const namespace = `ktsce-${process.pid}-${counter++}`;
  const scratch = mkdtempSync(join(tmpdir(), 'ktsce-'));
  try {
    must('ip', ['netns', 'add', namespace]);
    must('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
    // veth pairs rather than dummy links: this host's kernel has no dummy module.
    interfaces.forEach((name, index) => {
      must('ip', ['-n', namespace, 'link', 'add', name, 'type', 'veth', 'peer', 'name', `peer${index}`]);
      must('ip', ['-n', namespace, 'link', 'set', name, 'up']);
      must('ip', ['-n', namespace, 'link', 'set', `peer${index}`, 'up']);
    });
    const pidArgs = ['-p', join(scratch, 'k.pid'), '-c', join(scratch, 'c.pid'), '-r', join(scratch, 'v.pid')];
    const idArgs = configId === undefined ? [] : ['-i', configId];
    const keepalived = run('ip', ['netns', 'exec', namespace, 'keepalived', '-t', '-f', configPath, ...pidArgs, ...idArgs]);
    const ours = run('ip', ['netns', 'exec', namespace, process.execPath, join(ROOT, 'bin', 'keepalived-ts'), '-t', '-f', configPath, ...pidArgs, ...idArgs]);
    return { keepalived, ours };
  } finally {
    run('ip', ['netns', 'del', namespace]);
    rmSync(scratch, { recursive: true, force: true });
  }
}
