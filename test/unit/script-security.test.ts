// Script security decisions, pinned to what keepalived 2.2.7 did with enable_script_security for
// scripts of each permission shape (measured: "Unsafe permissions found for script ... - disabling").
import { describe, expect, it } from 'vitest';
import { judgeScript, pathChain, scriptPolicy, type PathEntry } from '../../src/common/script-security.js';

const dir = (path: string, over: Partial<PathEntry> = {}): PathEntry => ({ path, uid: 0, gid: 0, mode: 0o755, directory: true, ...over });
const file = (path: string, over: Partial<PathEntry> = {}): PathEntry => ({ path, uid: 0, gid: 0, mode: 0o755, directory: false, ...over });
const ROOT = { uid: 0, gid: 0 };
const NOBODY = { uid: 65534, gid: 65534 };
const chain = (...entries: PathEntry[]) => [dir('/'), dir('/run'), ...entries];

describe('judgeScript for a script run as root', () => {
  it('accepts a root-owned script in a sticky world-writable directory (s1: /tmp/x/s1.sh, dir 1777)', () => {
    expect(judgeScript([dir('/'), dir('/tmp', { mode: 0o1777 }), dir('/tmp/x', { mode: 0o1777 }), file('/tmp/x/s1.sh')], ROOT)).toEqual({ ok: true });
  });

  it('refuses a directory writable by a non-root group (s2)', () => {
    expect(judgeScript(chain(dir('/run/gw', { mode: 0o775, gid: 65534 }), file('/run/gw/s2.sh')), ROOT)).toMatchObject({ ok: false, reason: 'unsafe' });
  });

  it('refuses a file writable by others (s3, 0757)', () => {
    expect(judgeScript(chain(file('/run/s3.sh', { mode: 0o757 })), ROOT)).toMatchObject({ ok: false, reason: 'unsafe' });
  });

  it('refuses a file owned by a non-root user even if only it can write (s4)', () => {
    expect(judgeScript(chain(file('/run/s4.sh', { uid: 65534 })), ROOT)).toMatchObject({ ok: false, reason: 'unsafe' });
  });

  it('accepts group-writable with group root (s7) and refuses it with another group (s8)', () => {
    expect(judgeScript(chain(file('/run/s7.sh', { mode: 0o775 })), ROOT)).toEqual({ ok: true });
    expect(judgeScript(chain(file('/run/s8.sh', { mode: 0o775, gid: 65534 })), ROOT)).toMatchObject({ ok: false, reason: 'unsafe' });
  });

  it('refuses a directory owned by a non-root user (s9)', () => {
    expect(judgeScript(chain(dir('/run/ud', { uid: 65534 }), file('/run/ud/s9.sh')), ROOT)).toMatchObject({ ok: false, reason: 'unsafe' });
  });

  it('does not exempt a non-sticky world-writable directory', () => {
    expect(judgeScript(chain(dir('/run/w', { mode: 0o777 }), file('/run/w/s.sh')), ROOT)).toMatchObject({ ok: false, reason: 'unsafe' });
  });
});

describe('judgeScript for a script run as another user', () => {
  it('does not check writability (s5 owned by nobody, s6 0757: both ran)', () => {
    expect(judgeScript(chain(file('/run/s5.sh', { uid: 65534 })), NOBODY)).toEqual({ ok: true });
    expect(judgeScript(chain(file('/run/s6.sh', { mode: 0o757 })), NOBODY)).toEqual({ ok: true });
  });

  it('refuses a file its user cannot execute, and a directory it cannot search', () => {
    expect(judgeScript(chain(file('/run/s.sh', { mode: 0o744 })), NOBODY)).toMatchObject({ ok: false, reason: 'notExecutable' });
    expect(judgeScript(chain(dir('/run/private', { mode: 0o700 }), file('/run/private/s.sh')), NOBODY)).toMatchObject({ ok: false, reason: 'notExecutable' });
    expect(judgeScript(chain(file('/run/s.sh', { mode: 0o700, uid: 65534 })), NOBODY)).toEqual({ ok: true });
  });

  it('refuses a directory given as the script', () => {
    expect(judgeScript(chain(dir('/run/d')), ROOT)).toMatchObject({ ok: false, reason: 'notExecutable' });
  });
});

describe('scriptPolicy', () => {
  const unsafe = judgeScript(chain(file('/run/s3.sh', { mode: 0o757 })), ROOT);

  it('disables an unsafe script only with enable_script_security', () => {
    expect(scriptPolicy(unsafe, true, '/run/s3.sh')).toMatchObject({ run: false });
    expect(scriptPolicy(unsafe, false, '/run/s3.sh')).toMatchObject({ run: true });
    expect(scriptPolicy(unsafe, false, '/run/s3.sh').message).toMatch(/writable by others/);
  });

  it('disables a missing script either way', () => {
    const missing = { ok: false as const, reason: 'notFound' as const, message: 'gone' };
    expect(scriptPolicy(missing, false, '/x').run).toBe(false);
    expect(scriptPolicy(missing, true, '/x').run).toBe(false);
  });
});

it('pathChain lists every directory from the root down, then the file', () => {
  expect(pathChain('/etc/keepalived/check.sh')).toEqual(['/', '/etc', '/etc/keepalived', '/etc/keepalived/check.sh']);
});
