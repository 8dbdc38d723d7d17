// The daemon's settings from keepalived's command-line flags (pure): which processes run, where
// pid files and logs go, the namespace, and the release policy on stop. Passed to the VRRP child
// as one JSON argument so both processes read the same values.
import type { ParsedOptions } from '../cli/options.js';
import { DEFAULT_PID_FILES } from './pidfile.js';

export const DEFAULT_CONFIG_FILE = '/etc/keepalived/keepalived.conf';

export interface DaemonSettings {
  readonly configFile: string;
  readonly configId?: string;
  readonly parentPidFile: string;
  readonly vrrpPidFile: string;
  /** -c */
  readonly checkersPidFile: string;
  readonly namespace?: string;
  /** -l: readable lines on the console instead of JSON. */
  readonly logConsole: boolean;
  /** -D: debug level. */
  readonly logDetail: boolean;
  /** -g FILE. */
  readonly logFile?: string;
  /** -V: leave VIPs, routes and rules in place on stop. */
  readonly dontReleaseVrrp: boolean;
  /** -I: leave the IPVS entries in place on stop. */
  readonly dontReleaseIpvs: boolean;
  /** -X: keepalived's "release VIPs on transition from signal"; accepted, VIPs are always released on a signal-driven stop. */
  readonly releaseVips: boolean;
  /** -R */
  readonly dontRespawn: boolean;
  /** -n */
  readonly dontFork: boolean;
  /** -P */
  readonly vrrpOnly: boolean;
  /** -C */
  readonly checkOnly: boolean;
}

function text(options: ParsedOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

export function daemonSettings(options: ParsedOptions): DaemonSettings {
  const configId = text(options, 'configId');
  const namespace = text(options, 'namespace');
  const logFile = text(options, 'logFile');
  return {
    configFile: text(options, 'useFile') ?? DEFAULT_CONFIG_FILE,
    ...(configId === undefined ? {} : { configId }),
    parentPidFile: text(options, 'pid') ?? DEFAULT_PID_FILES.parent,
    vrrpPidFile: text(options, 'vrrpPid') ?? DEFAULT_PID_FILES.vrrp,
    checkersPidFile: text(options, 'checkersPid') ?? DEFAULT_PID_FILES.check,
    ...(namespace === undefined ? {} : { namespace }),
    logConsole: options['logConsole'] === true,
    logDetail: options['logDetail'] === true,
    ...(logFile === undefined ? {} : { logFile }),
    dontReleaseVrrp: options['dontReleaseVrrp'] === true,
    dontReleaseIpvs: options['dontReleaseIpvs'] === true,
    releaseVips: options['releaseVips'] === true,
    dontRespawn: options['dontRespawn'] === true,
    dontFork: options['dontFork'] === true,
    vrrpOnly: options['vrrp'] === true,
    checkOnly: options['check'] === true,
  };
}
