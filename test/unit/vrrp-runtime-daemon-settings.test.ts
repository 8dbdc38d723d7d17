// keepalived's flags → the daemon's settings, with defaults that never collide with keepalived's.
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.js';
import { daemonSettings } from '../../src/daemon/daemon-settings.js';

function settingsOf(argv: string[]) {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(parsed.error);
  return daemonSettings(parsed.options);
}

describe('daemonSettings', () => {
  it('defaults to keepalived-ts pid files and keepalived\'s config path', () => {
    expect(settingsOf([])).toMatchObject({
      configFile: '/etc/keepalived/keepalived.conf',
      parentPidFile: '/run/keepalived-ts.pid',
      vrrpPidFile: '/run/keepalived-ts_vrrp.pid',
      dontFork: false, dontRespawn: false, dontReleaseVrrp: false, logConsole: false,
    });
  });

  it('reads every flag the daemon acts on', () => {
    expect(settingsOf(['-nlDRVXP', '-f', 'k.conf', '-p', 'a.pid', '-r', 'b.pid', '-s', 'ns1', '-g', 'log.txt', '-i', 'dir1'])).toEqual({
      configFile: 'k.conf', configId: 'dir1', parentPidFile: 'a.pid', vrrpPidFile: 'b.pid', checkersPidFile: '/run/keepalived-ts_checkers.pid', namespace: 'ns1',
      logConsole: true, logDetail: true, logFile: 'log.txt', dontReleaseVrrp: true, dontReleaseIpvs: false, releaseVips: true,
      dontRespawn: true, dontFork: true, vrrpOnly: true, checkOnly: false,
    });
    expect(settingsOf(['-C']).checkOnly).toBe(true);
    expect(settingsOf(['-I', '-c', 'c.pid'])).toMatchObject({ dontReleaseIpvs: true, checkersPidFile: 'c.pid' });
  });
});
