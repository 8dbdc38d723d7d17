// Which file the supervisor forks for a child (src/daemon/child-entry.ts): the bundle only while it
// is at least as new as tsc's output, so a rebuilt dist/ never runs a stale bundle.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleNameOf, childEntryPath, preferFreshBundle } from '../../src/daemon/child-entry.js';

const scratch = mkdtempSync(join(tmpdir(), 'ktsce-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const compiled = join(scratch, 'vrrp-process.js');
const bundled = join(scratch, 'vrrp-process.bundle.js');

function writeAt(path: string, seconds: number): void {
  writeFileSync(path, '');
  utimesSync(path, seconds, seconds);
}

describe('child entry', () => {
  it('names the bundle beside its entry', () => {
    expect(bundleNameOf('check-process-main.js')).toBe('check-process-main.bundle.js');
  });

  it('takes the compiled entry while there is no bundle', () => {
    writeAt(compiled, 1_000);
    expect(preferFreshBundle(bundled, compiled)).toBe(compiled);
  });

  it('takes a bundle as new as the compiled entry, and not one older', () => {
    writeAt(compiled, 1_000);
    writeAt(bundled, 1_000);
    expect(preferFreshBundle(bundled, compiled)).toBe(bundled);
    writeAt(compiled, 1_001);
    expect(preferFreshBundle(bundled, compiled)).toBe(compiled);
  });

  it('resolves entries in the daemon directory (no bundle beside the sources)', () => {
    expect(childEntryPath('vrrp-process.js')).toMatch(/src\/daemon\/vrrp-process\.js$/);
  });
});
