// Entry point: argv → one command. keepalived's flags select the daemon's modes; a leading word
// selects a keepalived-ts subcommand.
import { reviewFlags } from './flag-support.js';
import { helpText, OPTIONS, parseOptions } from './options.js';
import { MODES, SUBCOMMANDS, type CommandContext } from './commands.js';
import { KEEPALIVED_COMPAT, VERSION } from '../common/version.js';

const PROGRAM = 'keepalived-ts';

export async function main(argv: readonly string[]): Promise<number> {
  const io = { stdout: process.stdout, stderr: process.stderr };
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-')) {
    const loader = SUBCOMMANDS[first];
    if (!loader) {
      io.stderr.write(`${PROGRAM}: unknown command '${first}' (try --help)\n`);
      return 1;
    }
    return (await loader())({ ...io, options: {}, args: argv.slice(1) });
  }
  // genhash's own flags (-s server, -p port, -u url) clash with the daemon's: -T must come first,
  // as keepalived asks, and everything after it belongs to genhash.
  if (first === '-T' || first === '--genhash') return (await MODES.genhash())({ ...io, options: {}, args: argv.slice(1) });
  const parsed = parseOptions(argv);
  if (!parsed.ok) {
    io.stderr.write(`${PROGRAM}: ${parsed.error}\n${helpText(PROGRAM)}`);
    return 1;
  }
  const { options, positionals } = parsed;
  if (positionals.length > 0) {
    io.stderr.write(`${PROGRAM}: unexpected argument '${positionals[0]}'\n`);
    return 1;
  }
  if (options['help']) {
    io.stdout.write(helpText(PROGRAM));
    return 0;
  }
  if (options['version']) {
    io.stdout.write(`${PROGRAM} v${VERSION} (keepalived ${KEEPALIVED_COMPAT} compatible)\n`);
    return 0;
  }
  const review = reviewFlags(options, (name) => OPTIONS.find((o) => o.name === name)?.long ?? name);
  if (review.refusal !== undefined) {
    io.stderr.write(`${PROGRAM}: ${review.refusal}\n`);
    return 1;
  }
  for (const note of review.notes) io.stderr.write(`${PROGRAM}: ${note}\n`);
  const context: CommandContext = { ...io, options, args: [] };
  if (options['signum'] !== undefined) return (await MODES.signum())(context);
  if (options['genhash']) return (await MODES.genhash())(context);
  if (options['configTest'] !== undefined) return (await MODES.configTest())(context);
  if (options['dumpConf']) return (await MODES.dumpConf())(context);
  return (await MODES.daemon())(context);
}
