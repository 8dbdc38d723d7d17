// Every ldirectord.cf fixture converts, through the real CLI, to a keepalived.conf that Debian's
// keepalived 2.2.7 accepts with `-t` (and our own `-t`, once it is built).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configTest } from './convert-config-test.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ldirectord');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.cf')).sort();
const scratch = mkdtempSync(join(tmpdir(), 'ktsce-convert-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('convert ldirectord output passes keepalived -t', () => {
  it('has the seed examples and at least ten more fixtures', () => {
    expect(fixtures.filter((name) => name.startsWith('seed-')).length).toBeGreaterThanOrEqual(3);
    expect(fixtures.length).toBeGreaterThanOrEqual(13);
  });

  it.each(fixtures)('%s', (name) => {
    const output = join(scratch, name.replace(/\.cf$/, '.conf'));
    const convert = spawnSync(process.execPath, [join(ROOT, 'bin', 'keepalived-ts'), 'convert', 'ldirectord', join(FIXTURES, name), '-o', output], { encoding: 'utf8' });
    expect(convert.status, convert.stderr).toBe(0);
    expect(convert.stderr).toMatch(/converted .*: \d+ virtual_server/);
    const verdict = configTest(output, []);
    expect(verdict.keepalived.status, verdict.keepalived.output).toBe(0);
    expect(verdict.ours.status, verdict.ours.output).toBe(0);
  });

  it("reads the file from stdin when FILE is '-', with the same result", () => {
    const name = 'seed-http-dr-wrr.cf';
    const input = readFileSync(join(FIXTURES, name), 'utf8');
    const convert = spawnSync(process.execPath, [join(ROOT, 'bin', 'keepalived-ts'), 'convert', 'ldirectord', '-'], { input, encoding: 'utf8' });
    expect(convert.status, convert.stderr).toBe(0);
    expect(convert.stderr).toContain('stdin:');
    const fromFile = spawnSync(process.execPath, [join(ROOT, 'bin', 'keepalived-ts'), 'convert', 'ldirectord', join(FIXTURES, name)], { encoding: 'utf8' });
    const body = (text: string) => text.split('\n').filter((line) => !line.startsWith('# keepalived.conf converted from')).join('\n');
    expect(body(convert.stdout)).toBe(body(fromFile.stdout));
  });
});
