// The VRRP child's V8 startup snapshot (scripts/build-snapshot.mjs, built by `npm run build:ts` and
// by scripts/test-all.mjs): Node started from it runs the child's main with the child's own argv,
// and the supervisor uses a blob only when the running Node built it (child-entry.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childLaunch, snapshotNameOf, stampMatches, type SnapshotStamp } from '../../src/daemon/child-entry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const blob = `${ROOT}dist/daemon/vrrp-process.snapshot.blob`;
const stamp: SnapshotStamp = { node: 'v20.20.2', arch: 'x64', execPath: '/usr/bin/node' };

describe('VRRP child snapshot', () => {
  it('is named beside its entry', () => {
    expect(snapshotNameOf('vrrp-process.js')).toBe('vrrp-process.snapshot.blob');
  });

  it('is used only by the Node build that made it', () => {
    expect(stampMatches(stamp, { version: 'v20.20.2', arch: 'x64', execPath: '/usr/bin/node' })).toBe(true);
    expect(stampMatches(stamp, { version: 'v20.20.3', arch: 'x64', execPath: '/usr/bin/node' })).toBe(false);
    expect(stampMatches(stamp, { version: 'v20.20.2', arch: 'arm64', execPath: '/usr/bin/node' })).toBe(false);
    expect(stampMatches(stamp, { version: 'v20.20.2', arch: 'x64', execPath: '/opt/node/bin/node' })).toBe(false);
    expect(stampMatches(undefined, { version: 'v20.20.2', arch: 'x64', execPath: '/usr/bin/node' })).toBe(false);
  });

  it('adds no snapshot flag for an entry without a snapshot', () => {
    expect(childLaunch('check-process-main.js').execArgv).not.toContain('--snapshot-blob');
  });

  it('starts the child from the built snapshot, with its argv', () => {
    expect(existsSync(blob), 'dist/daemon/vrrp-process.snapshot.blob: run npm run build:ts').toBe(true);
    const entry = `${ROOT}dist/daemon/vrrp-process.bundle.js`;
    const run = spawnSync(process.execPath, ['--snapshot-blob', blob, entry, JSON.stringify({ configFile: '/nonexistent/keepalived.conf', vrrpPidFile: '/nonexistent/v.pid' })], {
      encoding: 'utf8', env: { ...process.env, KEEPALIVED_TS_STARTUP_TRACE: '1' }, timeout: 10_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('/nonexistent/keepalived.conf');
    expect(run.stdout).toContain('configuration has errors, VRRP not started');
    expect(run.stderr).toMatch(/kts-startup \d+ vrrp-code-loaded /);
  });

  it('is what the supervisor forks the VRRP child with, when fresh', async () => {
    // The compiled module, which finds the snapshot beside itself in dist/daemon/.
    const compiled = (await import(`${ROOT}dist/daemon/child-entry.js`)) as { childLaunch: typeof childLaunch };
    const launch = compiled.childLaunch('vrrp-process.js');
    const stampFile = JSON.parse(readFileSync(blob.replace(/\.blob$/, '.json'), 'utf8')) as SnapshotStamp;
    expect(stampMatches(stampFile, process)).toBe(true);
    expect(launch.execArgv.slice(-2)).toEqual(['--snapshot-blob', blob]);
  });
});
