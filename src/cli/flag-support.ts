// What keepalived-ts does with each of keepalived's flags, so that none is silently ignored: a
// flag is implemented, accepted with a note saying why it changes nothing here, or refused with
// a message. main.ts prints the notes and refusals before running the daemon; a unit test checks
// that every flag of OPTIONS and of keepalived's own --help has an entry.
import type { ParsedOptions } from './options.js';

export type FlagSupport =
  | { readonly kind: 'implemented' }
  | { readonly kind: 'no-effect'; readonly note: string }
  | { readonly kind: 'refused'; readonly message: string };

const implemented: FlagSupport = { kind: 'implemented' };
const noEffect = (note: string): FlagSupport => ({ kind: 'no-effect', note });
const refused = (message: string): FlagSupport => ({ kind: 'refused', message });

/** By OptionSpec.name. */
export const FLAG_SUPPORT: Readonly<Record<string, FlagSupport>> = {
  useFile: implemented,
  vrrp: implemented,
  check: implemented,
  noBfd: noEffect('keepalived-ts has no BFD process'),
  all: noEffect('keepalived-ts starts the VRRP process whenever the configuration has a vrrp_instance'),
  logConsole: implemented,
  logDetail: implemented,
  logFacility: noEffect('keepalived-ts logs to stderr or a file (-g), never to syslog'),
  logFile: implemented,
  flushLogFile: noEffect('log lines are written as they come'),
  noSyslog: noEffect('keepalived-ts never logs to syslog'),
  releaseVips: implemented,
  dontReleaseVrrp: implemented,
  dontReleaseIpvs: implemented,
  dontRespawn: implemented,
  dontFork: implemented,
  dumpConf: implemented,
  pid: implemented,
  vrrpPid: implemented,
  genhash: implemented,
  checkersPid: implemented,
  addressMonitoring: noEffect('address changes are not logged'),
  bfdPid: noEffect('keepalived-ts has no BFD process'),
  namespace: implemented,
  allConfig: noEffect('a missing include file is already an error'),
  configId: implemented,
  snmp: refused('SNMP is not supported by keepalived-ts: use the status endpoint (--status-socket, /metrics) instead'),
  snmpAgentSocket: refused('SNMP is not supported by keepalived-ts: use the status endpoint (--status-socket, /metrics) instead'),
  umask: noEffect('files are created with the process umask'),
  coreDump: noEffect('core dumps follow the system settings (ulimit -c)'),
  coreDumpPattern: refused('--core-dump-pattern is not supported: set /proc/sys/kernel/core_pattern yourself'),
  signum: implemented,
  configTest: implemented,
  json: implemented,
  perf: refused('--perf is not supported by keepalived-ts'),
  debug: refused('--debug is not supported by keepalived-ts: use -D for debug logging'),
  noMemCheck: noEffect('Node manages memory; there is nothing to check'),
  ignoreSigint: noEffect('SIGINT stops the daemon cleanly, as SIGTERM does'),
  statusSocket: implemented,
  statusListen: implemented,
  version: implemented,
  help: implemented,
};

export interface FlagReview {
  readonly notes: readonly string[];
  readonly refusal: string | undefined;
}

/** Notes for accepted flags without effect and the first refusal, for the flags given. */
export function reviewFlags(options: ParsedOptions, longNameOf: (name: string) => string): FlagReview {
  const notes: string[] = [];
  for (const name of Object.keys(options)) {
    const support = FLAG_SUPPORT[name];
    if (support === undefined) return { notes, refusal: `--${longNameOf(name)} is not supported by keepalived-ts` };
    if (support.kind === 'refused') return { notes, refusal: `--${longNameOf(name)}: ${support.message}` };
    if (support.kind === 'no-effect') notes.push(`--${longNameOf(name)} accepted, no effect: ${support.note}`);
  }
  return { notes, refusal: undefined };
}
