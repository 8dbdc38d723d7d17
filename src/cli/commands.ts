// Every command the CLI can run, loaded lazily so `--help` never loads the addon or the parser.
// A command returns the process exit code. Commands not built yet say so and exit non-zero.
import type { ParsedOptions } from './options.js';

export interface CommandContext {
  /** Options parsed from keepalived's flags (daemon, -t, -d). */
  readonly options: ParsedOptions;
  /** Arguments after a subcommand name (ipvs, lab, convert, ...), unparsed. */
  readonly args: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export type Command = (context: CommandContext) => Promise<number>;

type Loader = () => Promise<Command>;

const notBuilt = (what: string): Loader => async () => async (context) => {
  context.stderr.write(`keepalived-ts: ${what} is not implemented yet\n`);
  return 2;
};

/** Subcommands chosen by the first argument (`keepalived-ts ipvs list -n`). */
export const SUBCOMMANDS: Record<string, Loader> = {
  ipvs: async () => (await import('./ipvs.js')).ipvsCommand,
  lab: notBuilt("'lab'"),
  convert: async () => (await import('./convert.js')).convert,
  status: notBuilt("'status'"),
  genhash: async () => (await import('./genhash.js')).genhash,
};

/** Modes chosen by keepalived's flags. */
export const MODES: Record<'daemon' | 'configTest' | 'dumpConf' | 'genhash', Loader> = {
  daemon: async () => (await import('./daemon.js')).daemon,
  configTest: async () => (await import('./config-test.js')).configTest,
  dumpConf: async () => (await import('./dump-conf.js')).dumpConf,
  genhash: async () => (await import('./genhash.js')).genhash,
};
