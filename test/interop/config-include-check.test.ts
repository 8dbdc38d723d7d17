// include_check and the include variants against Debian's keepalived 2.2.7: for each small
// config, our `-t` exit code (through the same loader and exit-code rule the CLI uses) must equal
// `keepalived -t`'s. The cases are the measurements src/config/include-check.ts is written from.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configTestExitCode } from '../../src/cli/config-test.js';
import { loadConfig } from '../../src/config/load.js';

const scratch = mkdtempSync(join(tmpdir(), 'ktsic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
writeFileSync(join(scratch, 'present.conf'), '');
mkdirSync(join(scratch, 'adir'));
writeFileSync(join(scratch, 'sets-check.conf'), 'global_defs {\n  include_check\n}\n');

let caseNumber = 0;

/** keepalived's and our `-t` exit codes for a config of `global_defs` lines plus `after` lines. */
function exitCodes(checkLines: readonly string[], after: readonly string[]): { theirs: number | null; ours: number; output: string } {
  const dir = join(scratch, `case${caseNumber++}`);
  mkdirSync(dir);
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, ['global_defs {', '  router_id ic', ...checkLines.map((l) => `  ${l}`), '}', ...after, ''].join('\n'));
  const run = spawnSync('keepalived', ['-t', '-f', file, '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid'), '-c', join(dir, 'c.pid')],
    { encoding: 'utf8', timeout: 20_000 });
  const loaded = loadConfig(file, { configId: 'ic', system: null });
  return { theirs: run.status, ours: configTestExitCode(loaded.diagnostics), output: `${run.stdout}${run.stderr}` };
}

const missing = () => join(scratch, 'missing.conf');
const missingGlob = () => join(scratch, 'missing*.conf');
const someBraces = () => join(scratch, '{missing,present}.conf');
const directory = () => join(scratch, 'adir');

const CASES: ReadonlyArray<{ name: string; checks: string[]; after: () => string[]; expected: number }> = [
  { name: 'plain include of a missing file', checks: [], after: () => [`include ${missing()}`], expected: 0 },
  { name: 'include_check alone turns every check on', checks: ['include_check'], after: () => [`include ${missing()}`], expected: 6 },
  { name: 'match does not cover wildcards', checks: ['include_check match'], after: () => [`include ${missingGlob()}`], expected: 0 },
  { name: 'wildcard_match', checks: ['include_check wildcard_match'], after: () => [`include ${missingGlob()}`], expected: 6 },
  { name: 'wildcard_match alone does not cover plain names', checks: ['include_check wildcard_match'], after: () => [`include ${missing()}`], expected: 0 },
  { name: 'read rejects a directory', checks: ['include_check read'], after: () => [`include ${directory()}`], expected: 6 },
  { name: 'match includes read', checks: ['include_check match'], after: () => [`include ${directory()}`], expected: 6 },
  { name: 'readable is not a 2.2.7 word', checks: ['include_check readable'], after: () => [`include ${directory()}`], expected: 5 },
  { name: 'a later unprefixed line replaces the level', checks: ['include_check match', 'include_check brace_match'], after: () => [`include ${missing()}`], expected: 0 },
  { name: '+ adds', checks: ['include_check match', 'include_check +brace_match'], after: () => [`include ${someBraces()}`], expected: 6 },
  { name: '- removes', checks: ['include_check wildcard_match', 'include_check -read'], after: () => [`include ${directory()}`], expected: 0 },
  { name: 'an overlapping word on one line is reported', checks: ['include_check read match', 'include_check -read'], after: () => [`include ${directory()}`], expected: 5 },
  { name: 'the level adds to a variant', checks: ['include_check brace_match'], after: () => [`includer ${someBraces()}`], expected: 6 },
  { name: 'a variant check fails without include_check', checks: [], after: () => [`includem ${missing()}`], expected: 6 },
  { name: 'a level set in an included file ends with it', checks: [], after: () => [`include ${join(scratch, 'sets-check.conf')}`, `include ${missing()}`], expected: 0 },
  { name: 'a level set after an include does not reach back', checks: [], after: () => [`include ${missing()}`, 'global_defs {', '  include_check', '}'], expected: 0 },
];

describe('include_check against keepalived 2.2.7', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { theirs, ours, output } = exitCodes(c.checks, c.after());
      expect(theirs, output).toBe(c.expected);
      expect(ours, output).toBe(theirs);
    });
  }
});
