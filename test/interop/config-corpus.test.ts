// keepalived's own sample configs (../shared/corpus, GPL data used in place, never copied):
// `keepalived-ts -t -f FILE` exits like Debian's `keepalived -t -f FILE` when both run in a
// network namespace holding the interfaces the file names. Needs root, keepalived and a built
// dist/ (`npm run build`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CORPUS = join(ROOT, '../shared/corpus/keepalived-samples');
const NAMESPACE = `ktscs-corpus-${process.pid}`;
const samples = readdirSync(CORPUS).filter((name) => name !== 'COPYING').sort();

/** Interfaces a config names, read with our own loader (no system checks). */
function interfacesOf(file: string): string[] {
  const { config } = loadConfig(file, { system: null });
  const names = new Set<string>();
  for (const instance of config.vrrpInstances) {
    if (instance.interface) names.add(instance.interface);
    for (const t of instance.trackInterfaces) names.add(t.name);
    for (const a of [...instance.virtualAddresses, ...instance.excludedAddresses]) if (a.dev) names.add(a.dev);
    for (const r of instance.virtualRoutes) if (r.dev) names.add(r.dev);
    const legacySync = instance.settings['lvs_sync_daemon_interface'];
    if (typeof legacySync === 'string') names.add(legacySync);
  }
  for (const a of config.staticAddresses) if (a.dev) names.add(a.dev);
  for (const r of config.staticRoutes) if (r.dev) names.add(r.dev);
  names.delete('lo');
  return [...names].filter((n) => n.length <= 15);
}

function exitCode(command: string, args: string[]): { status: number; stderr: string } {
  const result = spawnSync('ip', ['netns', 'exec', NAMESPACE, command, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status ?? -1, stderr: result.stderr };
}

describe('keepalived sample corpus: -t exit status', () => {
  beforeAll(() => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
    execFileSync('ip', ['netns', 'add', NAMESPACE]);
    execFileSync('ip', ['-n', NAMESPACE, 'link', 'set', 'lo', 'up']);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NAMESPACE]);
  });

  it('has samples to check', () => {
    expect(samples.length).toBeGreaterThanOrEqual(20);
  });

  for (const sample of samples) {
    it(sample, () => {
      const file = join(CORPUS, sample);
      const created: string[] = [];
      try {
        for (const name of interfacesOf(file)) {
          // The host kernel has no dummy module; an empty bridge is an interface that exists.
          execFileSync('ip', ['-n', NAMESPACE, 'link', 'add', name, 'type', 'bridge']);
          execFileSync('ip', ['-n', NAMESPACE, 'link', 'set', name, 'up']);
          created.push(name);
        }
        const theirs = exitCode('keepalived', ['-t', '-f', file]);
        const ours = exitCode(process.execPath, [join(ROOT, 'bin/keepalived-ts'), '-t', '-f', file]);
        expect({ status: ours.status, diagnostics: ours.stderr }).toMatchObject({ status: theirs.status });
      } finally {
        for (const name of created) spawnSync('ip', ['-n', NAMESPACE, 'link', 'del', name]);
      }
    });
  }
});
