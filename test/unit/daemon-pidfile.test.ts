import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PidFileInUseError, removePidFile, writePidFile } from '../../src/daemon/pidfile.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kts-pid-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pid files', () => {
  it('writes our pid and removes it only while it is still ours', () => {
    const path = join(dir, 'k.pid');
    writePidFile(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    writeFileSync(path, '999999\n');
    removePidFile(path);
    expect(existsSync(path)).toBe(true);
    writePidFile(path);
    removePidFile(path);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to start when a live process holds the pid file', async () => {
    const path = join(dir, 'k.pid');
    const other = spawn('sleep', ['5']);
    try {
      writeFileSync(path, `${other.pid}\n`);
      expect(() => writePidFile(path)).toThrow(PidFileInUseError);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a stale pid file of a dead process', () => {
    const path = join(dir, 'k.pid');
    writeFileSync(path, '2147483646\n');
    writePidFile(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
  });
});
