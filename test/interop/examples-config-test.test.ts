// Every conf.examples/*.conf passes Debian's `keepalived -t` (and our own `-t`, once built) in a
// namespace holding the interfaces it names, once for each director id its @id lines mention.
// The systemd unit passes `systemd-analyze verify` without a complaint.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTest } from './convert-config-test.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = join(ROOT, 'conf.examples');

interface Case {
  readonly name: string;
  readonly id: string | undefined;
  readonly interfaces: readonly string[];
}

/** One case per (file, config id): files without @id lines are tested once without -i. */
const cases: Case[] = readdirSync(EXAMPLES).filter((name) => name.endsWith('.conf')).sort().flatMap((name): Case[] => {
  const text = readFileSync(join(EXAMPLES, name), 'utf8');
  const ids = [...new Set([...text.matchAll(/^\s*@\^?(\w+)\s/gm)].map((m) => m[1] as string))];
  const interfaces = [...new Set([...text.matchAll(/\b(eth\d+)\b/g)].map((m) => m[1] as string))].sort();
  return ids.length === 0 ? [{ name, id: undefined, interfaces }] : ids.map((id) => ({ name, id, interfaces }));
});

describe('conf.examples pass keepalived -t', () => {
  it.each(cases)('$name as $id', ({ name, id, interfaces }) => {
    const verdict = configTest(join(EXAMPLES, name), interfaces, id);
    expect(verdict.keepalived.status, verdict.keepalived.output).toBe(0);
    expect(verdict.keepalived.output).toBe('');
    expect(verdict.ours.status, verdict.ours.output).toBe(0);
  });

  it('keepalived rejects a file whose interface is missing, so the passes above mean something', () => {
    const verdict = configTest(join(EXAMPLES, 'master-backup.conf'), [], 'lb1');
    expect(verdict.keepalived.status).not.toBe(0);
    expect(verdict.keepalived.output).toMatch(/interface eth0 .*doesn't exist/);
  });
});

describe('keepalived-ts.service', () => {
  it('passes systemd-analyze verify without complaints', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'ktsce-unit-'));
    try {
      // verify checks that ExecStart exists, so point it at this checkout's binary.
      const unit = readFileSync(join(EXAMPLES, 'keepalived-ts.service'), 'utf8').replaceAll('/usr/bin/keepalived-ts', join(ROOT, 'bin', 'keepalived-ts'));
      writeFileSync(join(scratch, 'keepalived-ts.service'), unit);
      const result = spawnSync('systemd-analyze', ['verify', join(scratch, 'keepalived-ts.service')], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr.trim()).toBe('');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
