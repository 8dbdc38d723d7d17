// `keepalived-ts convert ldirectord FILE [-o OUT]`: reads an ldirectord.cf, writes the equivalent
// keepalived.conf to stdout (or OUT), and prints warnings and a summary to stderr. The work is
// done by the pure parser, mapper and writer in src/convert; this shell only does the I/O.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command, CommandContext } from './commands.js';
import { parseLdirectordConfig } from '../convert/ldirectord-parser.js';
import { mapLdirectordToKeepalived } from '../convert/ldirectord-mapper.js';
import { writeKeepalivedConfig } from '../convert/keepalived-writer.js';
import { formatSummary } from '../convert/summary.js';
import { byLine, formatWarning } from '../convert/warnings.js';

const USAGE = `usage: keepalived-ts convert ldirectord FILE [-o OUTPUT]
  Reads ldirectord.cf FILE ('-' for stdin) and writes an equivalent keepalived.conf to stdout
  (or OUTPUT). Warnings (options without an exact equivalent) and a summary go to stderr.
  Exit status: 0 converted, 1 usage or read error, 2 'convert ipvsadm' (not built yet).
`;

export const convert: Command = async (context) => {
  const [format, ...rest] = context.args;
  if (format === '--help' || format === '-h') {
    context.stdout.write(USAGE);
    return 0;
  }
  if (format === 'ipvsadm') {
    // Comes later, on top of the IPVS rule parser; exit 2 like every command not built yet.
    context.stderr.write("keepalived-ts: 'convert ipvsadm' is not implemented yet\n");
    return 2;
  }
  if (format !== 'ldirectord') return fail(context, format === undefined ? 'missing input format' : `unknown input format '${format}'`);
  const parsed = parseArguments(rest);
  if (typeof parsed === 'string') return fail(context, parsed);

  let text: string;
  try {
    text = parsed.input === '-' ? await readStdin() : await readFile(parsed.input, 'utf8');
  } catch (error) {
    return fail(context, `cannot read ${parsed.input}: ${(error as Error).message}`, false);
  }
  const source = parsed.input === '-' ? 'stdin' : parsed.input;
  const { config, warnings: parseWarnings } = parseLdirectordConfig(text);
  const mapped = mapLdirectordToKeepalived(config, source);
  const output = writeKeepalivedConfig(mapped.document);
  const warnings = [...parseWarnings, ...mapped.warnings].sort(byLine);

  if (parsed.output === undefined) context.stdout.write(output);
  else {
    try {
      await writeFile(parsed.output, output);
    } catch (error) {
      return fail(context, `cannot write ${parsed.output}: ${(error as Error).message}`, false);
    }
  }
  for (const w of warnings) context.stderr.write(`${formatWarning(source, w)}\n`);
  context.stderr.write(formatSummary(source, { ...mapped.summary, warnings: warnings.length }));
  return 0;
};

function parseArguments(args: readonly string[]): { input: string; output?: string } | string {
  let input: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (output === undefined) return `${arg} needs a file name`;
    } else if (input === undefined) input = arg;
    else return `unexpected argument '${arg}'`;
  }
  if (input === undefined) return 'missing FILE';
  return output === undefined ? { input } : { input, output };
}

function fail(context: CommandContext, message: string, showUsage = true): number {
  context.stderr.write(`keepalived-ts convert: ${message}\n${showUsage ? USAGE : ''}`);
  return 1;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
