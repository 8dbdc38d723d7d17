// `keepalived-ts convert ldirectord FILE [-o OUT]` and `keepalived-ts convert ipvsadm [FILE|-]
// [--checker tcp|http|none] [-o OUT]`: read an ldirectord.cf or ipvsadm-save output, write the
// equivalent keepalived.conf to stdout (or OUT), and print warnings and a summary to stderr. The
// work is done by the pure readers, mappers and writer in src/convert; this shell only does the I/O.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command, CommandContext } from './commands.js';
import { parseLdirectordConfig } from '../convert/ldirectord-parser.js';
import { mapLdirectordToKeepalived } from '../convert/ldirectord-mapper.js';
import { writeKeepalivedConfig } from '../convert/keepalived-writer.js';
import { readIpvsadmTable } from '../convert/ipvsadm-table.js';
import { mapIpvsadmToKeepalived, type DefaultChecker } from '../convert/ipvsadm-mapper.js';
import { formatSummary } from '../convert/summary.js';
import { byLine, formatWarning, type ConversionWarning } from '../convert/warnings.js';
import type { ConversionSummary } from '../convert/ldirectord-mapper.js';
import type { KeepalivedDocument } from '../convert/keepalived-document.js';
import { systemServiceNames } from '../ipvs/text/names.js';

const USAGE = `usage: keepalived-ts convert ldirectord FILE [-o OUTPUT]
       keepalived-ts convert ipvsadm [FILE|-] [--checker tcp|http|none] [-o OUTPUT]
  Reads ldirectord.cf FILE, or ipvsadm-save / 'ipvsadm -Sn' output (FILE, or stdin when FILE is
  '-' or absent), and writes an equivalent keepalived.conf to stdout (or OUTPUT). --checker puts
  a TCP_CHECK or HTTP_GET (GET /, status 200) in every real_server (default: none). Warnings
  (what has no exact equivalent) and a summary go to stderr.
  Exit status: 0 converted, 1 usage or read error.
`;

const CHECKERS: readonly DefaultChecker[] = ['tcp', 'http', 'none'];

interface Conversion {
  readonly document: KeepalivedDocument;
  readonly warnings: readonly ConversionWarning[];
  readonly summary: ConversionSummary;
}

export const convert: Command = async (context) => {
  const [format, ...rest] = context.args;
  if (format === '--help' || format === '-h') {
    context.stdout.write(USAGE);
    return 0;
  }
  if (format !== 'ldirectord' && format !== 'ipvsadm') return fail(context, format === undefined ? 'missing input format' : `unknown input format '${format}'`);
  const parsed = parseArguments(rest, format);
  if (typeof parsed === 'string') return fail(context, parsed);

  let text: string;
  try {
    text = parsed.input === '-' ? await readStdin() : await readFile(parsed.input, 'utf8');
  } catch (error) {
    return fail(context, `cannot read ${parsed.input}: ${(error as Error).message}`, false);
  }
  const source = parsed.input === '-' ? 'stdin' : parsed.input;
  const mapped = format === 'ldirectord' ? fromLdirectord(text, source) : fromIpvsadm(text, source, parsed.checker ?? 'none');
  const output = writeKeepalivedConfig(mapped.document);
  const warnings = [...mapped.warnings].sort(byLine);

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

function fromLdirectord(text: string, source: string): Conversion {
  const { config, warnings } = parseLdirectordConfig(text);
  const mapped = mapLdirectordToKeepalived(config, source);
  return { ...mapped, warnings: [...warnings, ...mapped.warnings] };
}

function fromIpvsadm(text: string, source: string, checker: DefaultChecker): Conversion {
  // ipvsadm-save without -n names ports from /etc/services ("10.0.0.1:http").
  const table = readIpvsadmTable(text, systemServiceNames().resolvePort);
  return mapIpvsadmToKeepalived(table, { checker, sourceName: source });
}

interface Arguments {
  readonly input: string;
  readonly output?: string;
  readonly checker?: DefaultChecker;
}

function parseArguments(args: readonly string[], format: 'ldirectord' | 'ipvsadm'): Arguments | string {
  let input: string | undefined;
  let output: string | undefined;
  let checker: DefaultChecker | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (output === undefined) return `${arg} needs a file name`;
    } else if (format === 'ipvsadm' && (arg === '--checker' || arg.startsWith('--checker='))) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      checker = CHECKERS.find((name) => name === value);
      if (checker === undefined) return `--checker takes tcp, http or none${value === undefined ? '' : `, not '${value}'`}`;
    } else if (input === undefined) input = arg;
    else return `unexpected argument '${arg}'`;
  }
  // ipvsadm-save is usually piped in: stdin when no FILE is named.
  if (input === undefined && format === 'ipvsadm') input = '-';
  if (input === undefined) return 'missing FILE';
  return { input, ...(output !== undefined && { output }), ...(checker !== undefined && { checker }) };
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
