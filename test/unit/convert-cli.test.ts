import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { convert } from '../../src/cli/convert.js';
import { SUBCOMMANDS } from '../../src/cli/commands.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'ldirectord', 'seed-fwmark-typo-negotiate.cf');
const scratch = mkdtempSync(join(tmpdir(), 'ktsce-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const code = await convert({ args, options: {}, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('keepalived-ts convert', () => {
  it('is registered as the convert subcommand', async () => {
    expect(await SUBCOMMANDS['convert']?.()).toBe(convert);
  });

  it('writes the config to stdout and warnings with file:line plus a summary to stderr', async () => {
    const result = await run(['ldirectord', FIXTURE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^virtual_server 172\.20\.0\.24 80 \{$/m);
    expect(result.stderr).toContain(`${FIXTURE}:14: warning: protocol: fwm needs virtual=<fwmark number>`);
    expect(result.stderr).toMatch(/converted .*: 1 virtual_server, 2 real_server, 1 sorry_server\nchecker/);
  });

  it('writes to -o instead of stdout', async () => {
    const output = join(scratch, 'out.conf');
    const result = await run(['ldirectord', FIXTURE, '-o', output]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(output, 'utf8')).toContain('sorry_server 127.0.0.1 80');
  });

  it('fails with 1 and usage on bad arguments or an unreadable file', async () => {
    expect((await run([])).code).toBe(1);
    expect((await run(['haproxy', FIXTURE])).stderr).toContain("unknown input format 'haproxy'");
    expect((await run(['ldirectord'])).stderr).toContain('missing FILE');
    expect((await run(['ldirectord', FIXTURE, 'extra'])).code).toBe(1);
    const missing = await run(['ldirectord', join(scratch, 'nope.cf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });

  it('convert ipvsadm reads a rules file, takes --checker, and reports warnings with file:line and a summary', async () => {
    const rules = join(scratch, 'rules');
    writeFileSync(rules, '-A -t 192.0.2.1:80 -s rr\n-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2\n-Z\n');
    const result = await run(['ipvsadm', rules, '--checker', 'http']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^virtual_server 192\.0\.2\.1 80 \{$/m);
    expect(result.stdout).toContain('HTTP_GET {');
    expect(result.stderr).toContain(`${rules}:3: warning: -Z: zeroing counters is not configuration; ignored`);
    expect(result.stderr).toMatch(/converted .*: 1 virtual_server, 1 real_server, 0 sorry_server\nchecker.*HTTP_GET x1/);
    const equalsForm = await run(['ipvsadm', rules, '--checker=none', '-o', join(scratch, 'ipvsadm.conf')]);
    expect(equalsForm.code).toBe(0);
    expect(readFileSync(join(scratch, 'ipvsadm.conf'), 'utf8')).not.toContain('_CHECK');
  });

  it('convert ipvsadm refuses an unknown --checker', async () => {
    const result = await run(['ipvsadm', '-', '--checker', 'ping']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--checker takes tcp, http or none, not 'ping'");
  });
});
