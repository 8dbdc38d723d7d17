// Which processes a vrrp_track_process counts, and whether their number makes a quorum: pure
// functions over what /proc says. keepalived.conf(5) "VRRP track processes", with the details
// measured on keepalived 2.2.7 (a process `/path/sleeper 1000 2`, one tracker per rule below):
//   - `process NAME` alone matches the process name exactly (the Name/comm of /proc/PID/stat,
//     which the kernel cuts to 15 characters, so a longer NAME is compared cut as well), like
//     pgrep '^NAME$', not a regular expression; a path there never matches (`/path/sleeper`);
//   - with parameters, with `param_match` or with `full_command`, argv[0] of /proc/PID/cmdline must
//     equal the process word (`sleeper 1000 2` did not match, nor did `process "/path/sleeper
//     1000 2"` as one quoted word), and then the parameters:
//       none configured               any parameters (`/path/sleeper` + full_command matched,
//                                     as did `param_match partial` without parameters);
//       configured, no param_match    exactly these (`/path/sleeper 1000` did not match);
//       param_match partial           the first n equal, more may follow;
//       param_match initial           like partial, the last configured one only has to start
//                                     the process's one;
//   - zombies do not count (keepalived skips them, unlike pgrep);
//   - up while quorum <= count <= quorum_max.
// keepalived follows processes with the kernel's process connector, which only works in the
// initial network namespace (in another one 2.2.7 logs "Failed to set/clear process event listen"
// and every tracked process counts as absent); scanning /proc does not have that limit.

export type ParamMatch = 'partial' | 'initial';

export interface ProcessSpec {
  /** `process` words: the name or path, then parameters. */
  readonly command: readonly string[];
  /** `param_match`, when given. */
  readonly paramMatch?: ParamMatch;
  readonly fullCommand: boolean;
  /** Minimum count for up (default 1). */
  readonly quorum: number;
  /** Maximum count for up (default unlimited). */
  readonly quorumMax: number;
}

export interface ProcessInfo {
  readonly pid: number;
  /** Name from /proc/PID/stat (at most 15 characters). */
  readonly comm: string;
  /** One-letter state from /proc/PID/stat; 'Z' is a zombie. */
  readonly state: string;
  /** From /proc/PID/cmdline; undefined when it was not read (name matching only). */
  readonly argv?: readonly string[];
}

/** The kernel's TASK_COMM_LEN - 1. */
export const COMM_LENGTH = 15;

export function matchesCommandLine(spec: ProcessSpec): boolean {
  return spec.fullCommand || spec.paramMatch !== undefined || spec.command.length > 1;
}

export function processMatches(spec: ProcessSpec, info: ProcessInfo): boolean {
  if (info.state === 'Z') return false;
  const [name, ...params] = spec.command;
  if (name === undefined) return false;
  if (!matchesCommandLine(spec)) return info.comm === name.slice(0, COMM_LENGTH);
  const argv = info.argv;
  if (!argv || argv[0] !== name) return false;
  if (params.length === 0) return true;
  const actual = argv.slice(1);
  if (spec.paramMatch === undefined) return actual.length === params.length && params.every((p, i) => actual[i] === p);
  if (actual.length < params.length) return false;
  return params.every((p, i) => (spec.paramMatch === 'initial' && i === params.length - 1 ? actual[i]!.startsWith(p) : actual[i] === p));
}

export function quorumMet(spec: Pick<ProcessSpec, 'quorum' | 'quorumMax'>, count: number): boolean {
  return count >= spec.quorum && count <= spec.quorumMax;
}

/** `pid (comm) S ...` → comm and state; undefined when it is not that shape. comm may hold ')' and spaces. */
export function parseProcStat(pid: number, text: string): ProcessInfo | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const state = text.slice(close + 2, close + 3);
  if (state === '') return undefined;
  return { pid, comm: text.slice(open + 1, close), state };
}

/** /proc/PID/cmdline: NUL-separated, NUL-terminated. */
export function parseCmdline(buffer: Buffer): string[] {
  const text = buffer.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
