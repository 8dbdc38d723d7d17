// keepalived 2.2's command-line flags (keepalived(8)), as one declarative table, and a pure
// parser for them. Supports -x, -xVALUE, -x VALUE, --long, --long=VALUE, --long VALUE, bundled
// short flags (-nlD) and keepalived's optional values (-t[FILE] / --config-test[=FILE]).

export type ValueKind = 'none' | 'required' | 'optional';

export interface OptionSpec {
  readonly name: string; // canonical key in ParsedOptions
  readonly short?: string;
  readonly long: string;
  readonly aliases?: readonly string[];
  readonly value: ValueKind;
  readonly help: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'useFile', short: 'f', long: 'use-file', value: 'required', help: 'Use the specified configuration file' },
  { name: 'vrrp', short: 'P', long: 'vrrp', value: 'none', help: 'Only run with the VRRP subsystem' },
  { name: 'check', short: 'C', long: 'check', value: 'none', help: 'Only run with the health-checker subsystem' },
  { name: 'noBfd', short: 'B', long: 'no_bfd', value: 'none', help: "Don't run the BFD subsystem" },
  { name: 'all', long: 'all', value: 'none', help: 'Force all child processes to run, even if they have no configuration' },
  { name: 'logConsole', short: 'l', long: 'log-console', value: 'none', help: 'Log messages to the local console (readable)' },
  { name: 'logDetail', short: 'D', long: 'log-detail', value: 'none', help: 'Detailed log messages' },
  { name: 'logFacility', short: 'S', long: 'log-facility', value: 'required', help: '0-7|local{0-7}|user|daemon: syslog facility' },
  { name: 'logFile', short: 'g', long: 'log-file', value: 'required', help: 'Also log to FILE' },
  { name: 'flushLogFile', long: 'flush-log-file', value: 'none', help: 'Flush the log file on each write' },
  { name: 'noSyslog', short: 'G', long: 'no-syslog', value: 'none', help: "Don't log via syslog" },
  { name: 'releaseVips', short: 'X', long: 'release-vips', value: 'none', help: 'Drop VIPs on transition from signal' },
  { name: 'dontReleaseVrrp', short: 'V', long: 'dont-release-vrrp', value: 'none', help: "Don't remove VRRP VIPs and VROUTEs on daemon stop" },
  { name: 'dontReleaseIpvs', short: 'I', long: 'dont-release-ipvs', value: 'none', help: "Don't remove IPVS topology on daemon stop" },
  { name: 'dontRespawn', short: 'R', long: 'dont-respawn', value: 'none', help: "Don't respawn child processes" },
  { name: 'dontFork', short: 'n', long: 'dont-fork', value: 'none', help: "Don't fork the daemon process" },
  { name: 'dumpConf', short: 'd', long: 'dump-conf', value: 'none', help: 'Dump the configuration data' },
  { name: 'pid', short: 'p', long: 'pid', value: 'required', help: 'Use specified pidfile for parent process' },
  { name: 'vrrpPid', short: 'r', long: 'vrrp_pid', value: 'required', help: 'Use specified pidfile for VRRP child process' },
  { name: 'genhash', short: 'T', long: 'genhash', value: 'none', help: 'Enter genhash utility mode (this should be the first option used)' },
  { name: 'checkersPid', short: 'c', long: 'checkers_pid', value: 'required', help: 'Use specified pidfile for checkers child process' },
  { name: 'addressMonitoring', short: 'a', long: 'address-monitoring', value: 'none', help: 'Report all address additions/deletions notified by netlink' },
  { name: 'bfdPid', short: 'b', long: 'bfd_pid', value: 'required', help: 'Use specified pidfile for BFD child process' },
  { name: 'namespace', short: 's', long: 'namespace', value: 'required', help: 'Run in network namespace NAME (overrides config)' },
  { name: 'allConfig', short: 'e', long: 'all-config', value: 'none', help: "Don't load if any configuration file is missing" },
  { name: 'configId', short: 'i', long: 'config-id', value: 'required', help: 'Skip any configuration lines beginning @ that don\'t match ID' },
  { name: 'snmp', short: 'x', long: 'snmp', value: 'none', help: 'Enable SNMP subsystem' },
  { name: 'snmpAgentSocket', short: 'A', long: 'snmp-agent-socket', value: 'required', help: 'Use the specified socket for master agent' },
  { name: 'umask', short: 'u', long: 'umask', value: 'required', help: 'umask for file creation (in numeric form)' },
  { name: 'coreDump', short: 'm', long: 'core-dump', value: 'none', help: 'Produce core dump if terminate abnormally' },
  { name: 'coreDumpPattern', short: 'M', long: 'core-dump-pattern', value: 'optional', help: 'Also set /proc/sys/kernel/core_pattern to PATTERN' },
  { name: 'signum', long: 'signum', value: 'required', help: 'Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON, TDATA' },
  { name: 'configTest', short: 't', long: 'config-test', value: 'optional', help: 'Check the configuration for obvious errors, output to stderr by default' },
  { name: 'json', long: 'json', value: 'none', help: 'With -t: print diagnostics as JSON (keepalived-ts extension)' },
  { name: 'perf', long: 'perf', value: 'optional', help: 'Collect perf data, all=all threads, run=only during run, end=only at end (not supported)' },
  { name: 'debug', long: 'debug', value: 'optional', help: 'Enable debug options (not supported)' },
  { name: 'noMemCheck', long: 'no-mem-check', value: 'none', help: 'Disable malloc() etc mem-checks (accepted; no effect in Node)' },
  { name: 'ignoreSigint', long: 'ignore-sigint', value: 'none', help: 'Ignore SIGINT' },
  { name: 'statusSocket', long: 'status-socket', value: 'required', help: 'Serve /status and /metrics over HTTP on this unix socket (keepalived-ts extension)' },
  { name: 'statusListen', long: 'status-listen', value: 'required', help: 'Serve /status and /metrics over HTTP on this loopback ADDRESS:PORT (keepalived-ts extension)' },
  { name: 'version', short: 'v', long: 'version', value: 'none', help: 'Display the version number' },
  { name: 'help', short: 'h', long: 'help', value: 'none', help: 'Display this help message' },
];

export type ParsedOptions = Record<string, string | true>;

export type ParseResult =
  | { ok: true; options: ParsedOptions; positionals: string[] }
  | { ok: false; error: string };

const byShort = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));
const byLong = new Map(OPTIONS.flatMap((o) => [o.long, ...(o.aliases ?? [])].map((l) => [l, o] as const)));

export function parseOptions(argv: readonly string[]): ParseResult {
  const options: ParsedOptions = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const longName = arg.slice(2, eq < 0 ? undefined : eq);
      const spec = byLong.get(longName);
      if (!spec) return { ok: false, error: `unrecognized option '--${longName}'` };
      if (eq >= 0) {
        if (spec.value === 'none') return { ok: false, error: `option '--${longName}' doesn't allow an argument` };
        options[spec.name] = arg.slice(eq + 1);
      } else if (spec.value === 'required') {
        const next = argv[i + 1];
        if (next === undefined) return { ok: false, error: `option '--${longName}' requires an argument` };
        options[spec.name] = next;
        i++;
      } else {
        options[spec.name] = true;
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const spec = byShort.get(letter);
        if (!spec) return { ok: false, error: `invalid option -- '${letter}'` };
        const rest = arg.slice(j + 1);
        if (spec.value === 'none') {
          options[spec.name] = true;
          continue;
        }
        if (rest) {
          options[spec.name] = rest;
        } else if (spec.value === 'required') {
          const next = argv[i + 1];
          if (next === undefined) return { ok: false, error: `option requires an argument -- '${letter}'` };
          options[spec.name] = next;
          i++;
        } else {
          options[spec.name] = true;
        }
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { ok: true, options, positionals };
}

export function helpText(program: string): string {
  const lines = [`Usage: ${program} [OPTION...]`, `       ${program} COMMAND [ARGS...]   (ipvs, lab, convert, status, genhash)`, '', 'Options:'];
  for (const o of OPTIONS) {
    const shortPart = o.short ? `-${o.short}, ` : '    ';
    const valuePart = o.value === 'required' ? '=VALUE' : o.value === 'optional' ? '[=VALUE]' : '';
    lines.push(`  ${shortPart}--${o.long}${valuePart}`.padEnd(36) + o.help);
  }
  return lines.join('\n') + '\n';
}
