// Which argv lets bin/keepalived-ts fork the VRRP child before the CLI loads (exactly the
// foreground daemon starts that may run VRRP), and the VRRP child's environment at exec
// (NODE_EXTRA_CA_CERTS deferred, then restored for the scripts it runs).
import { describe, expect, it } from 'vitest';
import { foregroundVrrpStart } from '../../src/daemon/early-vrrp-child.js';
import { DEFERRED_EXTRA_CA_CERTS, restoreDeferredEnvironment, vrrpChildEnvironment } from '../../src/daemon/vrrp-child-environment.js';

describe('foregroundVrrpStart', () => {
  it('gives the daemon settings for a foreground start', () => {
    const settings = foregroundVrrpStart(['-n', '-P', '-f', '/tmp/k.conf', '-r', '/tmp/v.pid']);
    expect(settings).toMatchObject({ configFile: '/tmp/k.conf', vrrpPidFile: '/tmp/v.pid', dontFork: true, vrrpOnly: true });
    expect(foregroundVrrpStart(['-nlD', '--use-file=/tmp/k.conf'])).toMatchObject({ dontFork: true, logConsole: true, logDetail: true });
    expect(foregroundVrrpStart(['--dont-fork'])).toMatchObject({ dontFork: true });
  });

  it.each([
    ['a detaching start', ['-f', '/tmp/k.conf']],
    ['checker only', ['-n', '-C']],
    ['a config test', ['-n', '-t']],
    ['a config dump', ['-n', '-d']],
    ['--version', ['-n', '--version']],
    ['--help', ['-n', '-h']],
    ['--signum', ['-n', '--signum=STOP']],
    ['genhash', ['-T', '-n']],
    ['a subcommand', ['status', '-n']],
    ['an unknown flag', ['-n', '--no-such-flag']],
    ['a stray argument', ['-n', 'extra']],
    ['no argument', []],
  ])('is undefined for %s', (_label, argv) => {
    expect(foregroundVrrpStart(argv)).toBeUndefined();
  });
});

describe('the VRRP child environment', () => {
  it('moves NODE_EXTRA_CA_CERTS aside and restores it', () => {
    const env = vrrpChildEnvironment({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' });
    expect(env).toEqual({ PATH: '/bin', [DEFERRED_EXTRA_CA_CERTS]: '/etc/ssl/certs/ca-certificates.crt' });
    restoreDeferredEnvironment(env);
    expect(env).toEqual({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' });
  });

  it('leaves an environment without it as it is', () => {
    const env = vrrpChildEnvironment({ PATH: '/bin' });
    expect(env).toEqual({ PATH: '/bin' });
    restoreDeferredEnvironment(env);
    expect(env).toEqual({ PATH: '/bin' });
  });
});
