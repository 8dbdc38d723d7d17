// -t/--config-test and -d/--dump-conf as commands: which file they read, what they print where,
// and their exit status. Configs without vrrp_instances keep the interface checks out of play.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { MODES } from '../../src/cli/commands.js';
import { DEFAULT_CONFIG_FILE, configFileOf } from '../../src/cli/config-test.js';
import type { ParsedOptions } from '../../src/cli/options.js';

const dir = mkdtempSync(join(tmpdir(), 'ktscs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function run(mode: 'configTest' | 'dumpConf', options: ParsedOptions) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c) => (chunks.out += c));
  stderr.on('data', (c) => (chunks.err += c));
  const status = await (await MODES[mode]())({ options, args: [], stdout, stderr });
  return { status, ...chunks };
}

const GOOD = 'global_defs {\n router_id LB1\n}\nvirtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method DR\n protocol TCP\n real_server 10.0.0.2 80 {\n  weight 2\n }\n}\n';

describe('-t/--config-test', () => {
  it('reads the config from -f, else the default path (-t=FILE names the report file, as in keepalived)', () => {
    expect(configFileOf({ configTest: '/tmp/report.log', useFile: '/b.conf' })).toBe('/b.conf');
    expect(configFileOf({ configTest: true })).toBe(DEFAULT_CONFIG_FILE);
  });
  it('exits 0 and prints nothing for a clean config', async () => {
    expect(await run('configTest', { configTest: true, useFile: write('good.conf', GOOD) })).toEqual({ status: 0, out: '', err: '' });
  });
  it('appends the report to FILE with -t=FILE, created private', async () => {
    const file = write('bad-report.conf', GOOD.replace(' weight 2', ' wieght 2'));
    const report = join(dir, 'report.log');
    const first = await run('configTest', { configTest: report, useFile: file });
    await run('configTest', { configTest: report, useFile: file });
    expect(first).toEqual({ status: 5, out: '', err: '' });
    expect(readFileSync(report, 'utf8').match(/KTS_UNKNOWN_KEYWORD/g)).toHaveLength(2);
    expect(statSync(report).mode & 0o777).toBe(0o600);
  });
  it('prints file:line:col: severity: message [CODE] with hints, and exits 5 on errors', async () => {
    const file = write('bad.conf', GOOD.replace(' weight 2', ' wieght 2'));
    const result = await run('configTest', { configTest: true, useFile: file });
    expect(result.status).toBe(5);
    expect(result.err).toBe(`${file}:9:3: error: unknown keyword 'wieght' in real_server [KTS_UNKNOWN_KEYWORD]\n  hint: did you mean \`weight\`?\n`);
  });
  it('prints diagnostics as JSON with --json', async () => {
    const file = write('json.conf', GOOD.replace(' weight 2', ' weight -1'));
    const result = await run('configTest', { configTest: true, useFile: file, json: true });
    const report = JSON.parse(result.out);
    expect(result.status).toBe(5);
    expect(report).toMatchObject({ file, exitCode: 5, diagnostics: [{ code: 'KTS_OUT_OF_RANGE', severity: 'warning', line: 9, col: 10 }] });
  });
  it('exits 3 when the file cannot be read', async () => {
    expect((await run('configTest', { configTest: true, useFile: join(dir, 'missing.conf') })).status).toBe(3);
  });
});

describe('-d/--dump-conf', () => {
  it('prints the typed model as JSON', async () => {
    const result = await run('dumpConf', { dumpConf: true, useFile: write('dump.conf', GOOD) });
    expect(result.status).toBe(0);
    const config = JSON.parse(result.out);
    expect(config.global.routerId).toBe('LB1');
    expect(config.virtualServers[0]).toMatchObject({ scheduler: 'rr', forwarding: 'DR', realServers: [{ address: '10.0.0.2', port: 80, weight: 2 }] });
  });
});
