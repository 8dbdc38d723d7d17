// The ipvsadm rules fixtures between them use every ipvsadm(8) option a rules file can hold, and
// each converts (with every --checker) to a keepalived.conf our config loader and our own
// `keepalived-ts -t` accept without a reported problem. Debian's keepalived -t checks the same
// outputs in test/interop/convert-ipvsadm.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CODES } from '../../src/config/codes.js';
import { loadConfigText } from '../../src/config/load.js';
import { mapIpvsadmToKeepalived, type DefaultChecker } from '../../src/convert/ipvsadm-mapper.js';
import { readIpvsadmTable } from '../../src/convert/ipvsadm-table.js';
import { writeKeepalivedConfig } from '../../src/convert/keepalived-writer.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ipvsadm');
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.rules')).sort();
const CHECKERS: readonly DefaultChecker[] = ['none', 'tcp', 'http'];
const scratch = mkdtempSync(join(tmpdir(), 'ktsci-fixtures-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every option of ipvsadm(8) that a rules file (ipvsadm -R input) can carry, in some spelling. */
const OPTIONS = [
  '-A', '-E', '-D', '-C', '-a', '-e', '-d', '-t', '-u', '--sctp-service', '-f', '-6', '-s', '-p', '-M', '--pe', '-b', '-o',
  '-r', '-g', '-i', '-m', '-w', '-x', '-y', '--tun-type', '--tun-port', '--tun-nocsum', '--tun-csum', '--tun-remcsum', '--set',
  '--add-service', '--edit-service', '--add-server', '--tcp-service', '--udp-service', '--scheduler', '--persistent',
  '--netmask', '--real-server', '--masquerading', '--gatewaying', '--weight', '--u-threshold', '--l-threshold', '--ops',
];
const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh'];
const FLAGS = ['flag-1', 'flag-2', 'flag-3', 'sh-fallback', 'sh-port', 'mh-fallback', 'mh-port'];

function converted(name: string, checker: DefaultChecker): string {
  const table = readIpvsadmTable(readFileSync(join(FIXTURES, name), 'utf8'), (port) => (port === 'http' ? 80 : null));
  return writeKeepalivedConfig(mapIpvsadmToKeepalived(table, { checker, sourceName: name }).document);
}

describe('ipvsadm fixtures', () => {
  const all = files.map((name) => readFileSync(join(FIXTURES, name), 'utf8')).join('\n');
  const words = new Set(all.split(/[\s=]+/));

  it('use every rules-file option, scheduler and scheduler flag of ipvsadm(8)', () => {
    expect(OPTIONS.filter((option) => !words.has(option))).toEqual([]);
    expect(SCHEDULERS.filter((scheduler) => !new RegExp(`(-s|--scheduler) ${scheduler}\\b`).test(all))).toEqual([]);
    expect(FLAGS.filter((flag) => !all.includes(flag))).toEqual([]);
  });

  it.each(files.flatMap((name) => CHECKERS.map((checker) => [name, checker] as const)))('%s with --checker %s loads without a problem keepalived would report', (name, checker) => {
    const text = converted(name, checker);
    expect(text).toMatch(/^virtual_server /m);
    const { diagnostics } = loadConfigText(text, `${name}.conf`, { system: null });
    expect(diagnostics.filter((d) => d.severity === 'error' || CODES[d.code]?.keepalivedReports === true)).toEqual([]);
  });

  it.each(files)("%s passes our own './bin/keepalived-ts -t -f OUT' with every --checker", (name) => {
    for (const checker of CHECKERS) {
      const output = join(scratch, `${name}-${checker}.conf`);
      writeFileSync(output, converted(name, checker));
      const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'keepalived-ts'), '-t', '-f', output], { encoding: 'utf8' });
      expect(result.status, `${checker}: ${result.stderr}`).toBe(0);
    }
  });
});
