// `keepalived-ts ipvs ...`: ipvsadm's views of the kernel's IPVS table and its save/restore
// format, over our own netlink client.
//   ipvs list [-n] [--stats|--rate|--thresholds|--persistent-conn|--timeout|--connection|--daemon] [--exact]
//   ipvs save [-n]        ipvs restore  (ipvsadm-save lines on stdin)        ipvs flush
import { readFileSync } from 'node:fs';
import { IpvsClient } from '../ipvs/client.js';
import { applyRules } from '../ipvs/restore.js';
import { formatConnections, parseConnectionTable } from '../ipvs/text/connections.js';
import { formatDaemons, formatList, formatTimeouts, type ListView } from '../ipvs/text/list.js';
import { numericPorts, systemServiceNames } from '../ipvs/text/names.js';
import { parseRules } from '../ipvs/text/rules.js';
import { formatSave } from '../ipvs/text/save.js';
import type { Command, CommandContext } from './commands.js';

const USAGE = `usage: keepalived-ts ipvs list [-n] [--stats|--rate|--thresholds|--persistent-conn|--timeout|--connection|--daemon] [--exact]
       keepalived-ts ipvs save [-n]
       keepalived-ts ipvs restore < rules      (ipvsadm-save format)
       keepalived-ts ipvs flush
`;

const LIST_VIEWS: Record<string, ListView | 'timeout' | 'connection' | 'daemon'> = {
  '--stats': 'stats', '--rate': 'rate', '--thresholds': 'thresholds', '--persistent-conn': 'persistent-conn',
  '--timeout': 'timeout', '--connection': 'connection', '-c': 'connection', '--daemon': 'daemon',
};

class UsageError extends Error {}

async function withClient<T>(work: (client: IpvsClient) => Promise<T>): Promise<T> {
  const client = await IpvsClient.open();
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

async function list(context: CommandContext, args: readonly string[]): Promise<number> {
  let numeric = false;
  let exact = false;
  let view: (typeof LIST_VIEWS)[string] = 'default';
  for (const arg of args) {
    if (arg === '-n' || arg === '--numeric') numeric = true;
    else if (arg === '--exact') exact = true;
    else if (LIST_VIEWS[arg] && view === 'default') view = LIST_VIEWS[arg]!;
    else throw new UsageError(LIST_VIEWS[arg] ? 'choose one of the list views' : `unknown list option '${arg}'`);
  }
  const portNames = numeric ? numericPorts : systemServiceNames().namePort;
  if (view === 'connection') {
    // The kernel lists IPv4 and IPv6 connections in this one file.
    context.stdout.write(formatConnections(parseConnectionTable(readFileSync('/proc/net/ip_vs_conn', 'utf8')), portNames));
    return 0;
  }
  const output = await withClient(async (client) => {
    if (view === 'timeout') return formatTimeouts(await client.timeouts());
    if (view === 'daemon') return formatDaemons(await client.daemons());
    const [info, table] = await Promise.all([client.info(), client.table()]);
    return formatList(info, table, { view, exact, portNames });
  });
  context.stdout.write(output);
  return 0;
}

async function save(context: CommandContext, args: readonly string[]): Promise<number> {
  const numeric = args.some((arg) => arg === '-n' || arg === '--numeric');
  const unknown = args.find((arg) => arg !== '-n' && arg !== '--numeric');
  if (unknown) throw new UsageError(`unknown save option '${unknown}'`);
  const table = await withClient((client) => client.table());
  context.stdout.write(formatSave(table, numeric ? numericPorts : systemServiceNames().namePort));
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function restore(context: CommandContext, args: readonly string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`unknown restore option '${args[0]}'`);
  const { rules, errors } = parseRules(await readStdin(), systemServiceNames().resolvePort);
  if (errors.length > 0) {
    for (const { line, message } of errors) context.stderr.write(`keepalived-ts ipvs restore: line ${line}: ${message}\n`);
    context.stderr.write(`keepalived-ts ipvs restore: nothing applied (${errors.length} bad line${errors.length > 1 ? 's' : ''})\n`);
    return 1;
  }
  await withClient((client) => applyRules(client, rules));
  return 0;
}

async function flush(_context: CommandContext, args: readonly string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`unknown flush option '${args[0]}'`);
  await withClient((client) => client.flush());
  return 0;
}

const ACTIONS: Record<string, (context: CommandContext, args: readonly string[]) => Promise<number>> = { list, save, restore, flush };

export const ipvsCommand: Command = async (context) => {
  const [action, ...rest] = context.args;
  const run = action ? ACTIONS[action] : undefined;
  if (!run) {
    context.stderr.write(action && action !== '--help' ? `keepalived-ts ipvs: unknown action '${action}'\n${USAGE}` : USAGE);
    return action === '--help' ? 0 : 1;
  }
  try {
    return await run(context, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`keepalived-ts ipvs ${action}: ${error.message}\n${USAGE}`);
      return 1;
    }
    context.stderr.write(`keepalived-ts ipvs ${action}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
};
