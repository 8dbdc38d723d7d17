// `keepalived-ts lab`: builds a network-namespace lab on this machine, runs failover scenarios
// against the VRRP daemons and prints what it measured. Root only.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { labDown } from '../lab/down.js';
import { IMPLEMENTATION_NAMES, type ImplementationName } from '../lab/implementations.js';
import { LabSetupError, runLab, type LabOptions } from '../lab/lab.js';
import { formatReport, passed } from '../lab/report.js';
import { SCENARIO_NAMES, type ScenarioName } from '../lab/scenarios.js';
import { TopologyError } from '../lab/topology.js';
import type { Command } from './commands.js';

const DEFAULT_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'conf.examples', 'master-backup.conf');

const HELP = `Usage: keepalived-ts lab [options]        (root)
Builds a bridge, directors, real servers and a client in network namespaces, runs the VRRP daemon
on every director, causes failures and prints how long failover took. Removes everything at the end.

  --scenario NAME[,NAME]  ${SCENARIO_NAMES.join(', ')} (default: all)
  --repeat N              runs per scenario; the table shows medians (default 1)
  --config FILE           director config (default conf.examples/master-backup.conf); its @id
                          lines name the directors
  --advert-int S          generate a config with this advert_int (below 1 s needs --vrrp-version 3)
  --vrrp-version 2|3      generate a config with this VRRP version
  --unicast               generate a config with unicast_src_ip / unicast_peer
  --directors N           generate a config for N directors (default 2)
  --impl ours|keepalived  the daemon on every director (default ours)
  --peer keepalived       run this daemon on the primary director instead (interop)
  --json                  print the report as JSON
  --keep                  leave the lab running afterwards (remove it with --down)
  --down                  remove everything earlier lab runs left behind
`;

export const lab: Command = async ({ args, stdout, stderr }) => {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      strict: true,
      options: {
        scenario: { type: 'string' },
        repeat: { type: 'string' },
        config: { type: 'string' },
        'advert-int': { type: 'string' },
        'vrrp-version': { type: 'string' },
        unicast: { type: 'boolean' },
        directors: { type: 'string' },
        impl: { type: 'string' },
        peer: { type: 'string' },
        json: { type: 'boolean' },
        keep: { type: 'boolean' },
        down: { type: 'boolean' },
        help: { type: 'boolean' },
        'test-fail-scenario': { type: 'string' },
      },
    }).values;
  } catch (error) {
    stderr.write(`keepalived-ts lab: ${(error as Error).message}\n${HELP}`);
    return 1;
  }
  if (values.help) {
    stdout.write(HELP);
    return 0;
  }
  if (process.getuid?.() !== 0) {
    stderr.write('keepalived-ts lab: needs root (network namespaces, raw sockets)\n');
    return 1;
  }
  if (values.down) {
    const summary = labDown();
    stdout.write(`removed ${summary.namespaces.length} namespaces, ${summary.processes} processes, ${summary.directories.length} temp dirs\n`);
    return 0;
  }
  const parsed = labOptions(values);
  if (typeof parsed === 'string') {
    stderr.write(`keepalived-ts lab: ${parsed}\n`);
    return 1;
  }

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    stderr.write(`keepalived-ts lab: ${signal}: stopping and removing the lab\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { report, kept } = await runLab({ ...parsed, progress: (line) => stderr.write(`${line}\n`), signal: controller.signal }, DEFAULT_CONFIG);
    stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    if (kept) {
      stdout.write(
        `\nThe lab is still up (logs and configs in ${kept.workDir}). Look around with, e.g.:\n` +
          `  ip netns exec ${kept.client} ping ${report.vip}\n` +
          `  ip -n ${kept.namespaces.find((n) => n.endsWith(`-${report.directors[0]!.id}`))} addr\n` +
          `Tear it down with: keepalived-ts lab --down\n`,
      );
    }
    if (report.aborted !== undefined) return 130;
    return passed(report) ? 0 : 1;
  } catch (error) {
    if (error instanceof LabSetupError || error instanceof TopologyError) {
      stderr.write(`keepalived-ts lab: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

type Values = Record<string, string | boolean | undefined>;

/** Checks the options and turns them into LabOptions (without progress and signal), or an error. */
export function labOptions(values: Values): Omit<LabOptions, 'progress' | 'signal'> | string {
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const scenarios = (str('scenario')?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...SCENARIO_NAMES]) as ScenarioName[];
  const unknown = scenarios.find((s) => !SCENARIO_NAMES.includes(s));
  if (unknown !== undefined) return `unknown scenario '${unknown}' (known: ${SCENARIO_NAMES.join(', ')})`;
  const repeat = Number(str('repeat') ?? 1);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) return '--repeat must be an integer from 1 to 100';
  const implementation = (str('impl') ?? 'ours') as ImplementationName;
  if (!IMPLEMENTATION_NAMES.includes(implementation)) return `--impl must be one of ${IMPLEMENTATION_NAMES.join(', ')}`;
  const peer = str('peer') as ImplementationName | undefined;
  if (peer !== undefined && !IMPLEMENTATION_NAMES.includes(peer)) return `--peer must be one of ${IMPLEMENTATION_NAMES.join(', ')}`;
  const failScenario = str('test-fail-scenario') as ScenarioName | undefined;

  const generating = ['advert-int', 'vrrp-version', 'unicast', 'directors'].some((key) => values[key] !== undefined);
  const base = { scenarios, repeat, implementation, keep: values['keep'] === true, ...(peer ? { peer } : {}), ...(failScenario ? { failScenario } : {}) };
  const configFile = str('config');
  if (configFile !== undefined) {
    if (generating) return '--config cannot be combined with --advert-int, --vrrp-version, --unicast or --directors (they generate a config)';
    return { ...base, configFile };
  }
  if (!generating) return base;
  const version = Number(str('vrrp-version') ?? 2);
  if (version !== 2 && version !== 3) return '--vrrp-version must be 2 or 3';
  const advertIntSeconds = Number(str('advert-int') ?? 1);
  if (!(advertIntSeconds >= 0.01 && advertIntSeconds <= 255)) return '--advert-int must be from 0.01 to 255 seconds';
  if (version === 2 && !Number.isInteger(advertIntSeconds)) return '--advert-int below 1 s or fractional needs --vrrp-version 3 (VRRPv2 counts whole seconds)';
  if (version === 3 && Math.abs(Math.round(advertIntSeconds * 100) - advertIntSeconds * 100) > 1e-9) return '--advert-int with VRRPv3 counts in steps of 0.01 s';
  const directors = Number(str('directors') ?? 2);
  if (!Number.isInteger(directors) || directors < 2 || directors > 8) return '--directors must be from 2 to 8';
  return { ...base, generated: { directors, advertIntSeconds, version, unicast: values['unicast'] === true } };
};
