// Every flag of keepalived's --help (read live from Debian's keepalived 2.2.7) and of our OPTIONS
// table, run through the real CLI one at a time: each is implemented, accepted with a note that
// it changes nothing here, or refused with a message naming it. None crashes (no stack trace, no
// signal) and none is silently ignored. The daemon never gets far: the config file is missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAG_SUPPORT } from '../../src/cli/flag-support.js';
import { OPTIONS, type OptionSpec } from '../../src/cli/options.js';

const BIN = fileURLToPath(new URL('../../bin/keepalived-ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ktsdo-flags-'));
const missingConfig = join(scratch, 'missing.conf');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** keepalived's own flags, from `keepalived --help`: short letter (if any) and long name. */
function keepalivedFlags(): { short: string | undefined; long: string }[] {
  const help = spawnSync('keepalived', ['--help'], { encoding: 'utf8' });
  expect(help.error, "Debian's keepalived is needed to read its --help (apt-get install keepalived)").toBeUndefined();
  const text = `${help.stdout}${help.stderr}`;
  const flags: { short: string | undefined; long: string }[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s+(?:-(\w), )?--([\w-]+)/.exec(line);
    if (match) flags.push({ short: match[1], long: match[2]! });
  }
  return flags;
}

const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  logFacility: 'local0',
  namespace: 'ktsdo-walk-missing',
  configId: 'node1',
  umask: '022',
  signum: 'JSON',
  snmpAgentSocket: join(scratch, 'agentx'),
  useFile: missingConfig,
};

function argvFor(spec: OptionSpec): string[] {
  if (spec.name === 'genhash') return ['-T'];
  const flag = spec.value === 'required' ? [`--${spec.long}=${SAMPLE_VALUES[spec.name] ?? join(scratch, spec.name)}`] : [`--${spec.long}`];
  return spec.name === 'useFile' ? flag : [...flag, '-f', missingConfig];
}

function run(argv: readonly string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('keepalived flags walk', () => {
  it('knows every flag keepalived --help lists, with the same short letter', () => {
    const theirs = keepalivedFlags();
    expect(theirs.length).toBeGreaterThan(30);
    for (const flag of theirs) {
      const ours = OPTIONS.find((o) => o.long === flag.long || o.aliases?.includes(flag.long));
      expect(ours, `--${flag.long}`).toBeDefined();
      expect(ours?.short, `--${flag.long}`).toBe(flag.short);
    }
  });

  it('has a disposition for every flag it parses', () => {
    for (const spec of OPTIONS) expect(FLAG_SUPPORT[spec.name], spec.long).toBeDefined();
  });

  it('runs every flag: implemented, accepted with a note, or refused by name, never a crash', async () => {
    const results = new Map<string, Awaited<ReturnType<typeof run>>>();
    const queue = [...OPTIONS];
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) results.set(spec.name, await run(argvFor(spec)));
    }));
    for (const spec of OPTIONS) {
      const result = results.get(spec.name)!;
      const what = `--${spec.long}: ${result.stderr}`;
      expect(result.signal, what).toBeNull();
      expect(result.stderr, what).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      expect(result.stderr, what).not.toMatch(/unrecognized option|invalid option/);
      const support = FLAG_SUPPORT[spec.name]!;
      if (support.kind === 'refused') {
        expect(result.code, what).toBe(1);
        expect(result.stderr, what).toContain(`--${spec.long}: ${support.message}`);
      } else if (support.kind === 'no-effect') {
        expect(result.stderr, what).toContain(`--${spec.long} accepted, no effect: ${support.note}`);
      } else {
        expect(result.stderr, what).not.toContain('not supported by keepalived-ts');
        expect(`${result.stdout}${result.stderr}`.length, what).toBeGreaterThan(0);
      }
    }
    expect(results.get('signum')?.stdout).toBe('30\n');
    expect(results.get('version')?.code).toBe(0);
    expect(results.get('namespace')?.stderr).toContain('cannot enter network namespace ktsdo-walk-missing');
  }, 120_000);
});
