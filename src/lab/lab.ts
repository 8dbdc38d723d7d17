// Runs the lab: reads the config, builds the namespaces, starts HTTP servers, observers and the
// daemons, runs the scenarios and returns the report. Everything it made is removed on every way
// out (unless asked to keep it), including an exception, an abort (SIGINT/SIGTERM) and process exit.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Director } from './director.js';
import { GarpCapture } from './garp-capture.js';
import { generateConfig, generatedDirectorIds, type GeneratedConfigOptions } from './generated-config.js';
import { HttpProbe, startResponder } from './http-probe.js';
import { IMPLEMENTATIONS, type ImplementationName } from './implementations.js';
import { ipvsAvailable } from './ipvs.js';
import { LAB_PREFIX, newRunId } from './names.js';
import { PingProbe } from './ping-probe.js';
import { conditionalIds, planLab, type LabPlan } from './plan.js';
import { LabProcesses } from './processes.js';
import type { LabReport, ScenarioResult } from './report.js';
import { SCENARIOS, type Measurement, type ScenarioName } from './scenarios.js';
import { buildTopology, deleteNamespaces, prepareDirectRouting, type Topology } from './topology.js';
import { VipWatch } from './vip-watch.js';
import { HTTP_PORT, LabWorld } from './world.js';

export interface LabOptions {
  readonly scenarios: readonly ScenarioName[];
  readonly repeat: number;
  /** A config file to run; otherwise `generated`, otherwise DEFAULT_CONFIG. */
  readonly configFile?: string;
  readonly generated?: GeneratedConfigOptions;
  /** The daemon on every director ... */
  readonly implementation: ImplementationName;
  /** ... except the primary, which runs this one when set (interop). */
  readonly peer?: ImplementationName;
  readonly keep: boolean;
  /** Hidden test option: this scenario fails on purpose after causing its fault. */
  readonly failScenario?: ScenarioName;
  readonly progress: (line: string) => void;
  readonly signal: AbortSignal;
}

/** What `--keep` leaves running, for the caller to print. */
export interface KeptLab {
  readonly workDir: string;
  readonly namespaces: readonly string[];
  readonly client: string;
}

export class LabSetupError extends Error {}

/** Reads the config the options ask for and plans the lab around it. */
export function resolveConfig(options: Pick<LabOptions, 'configFile' | 'generated'>, defaultConfig: string): { text: string; name: string; plan: LabPlan } {
  let text: string;
  let name: string;
  let ids: string[];
  if (options.configFile !== undefined) {
    name = options.configFile;
    text = readFileSync(name, 'utf8');
    ids = conditionalIds(text);
    if (ids.length < 2) ids = generatedDirectorIds(2);
  } else if (options.generated !== undefined) {
    name = `generated (${options.generated.directors} directors)`;
    text = generateConfig(options.generated);
    ids = generatedDirectorIds(options.generated.directors);
  } else {
    name = defaultConfig;
    text = readFileSync(name, 'utf8');
    ids = conditionalIds(text);
  }
  const planned = planLab(text, name, ids);
  if (!planned.ok) throw new LabSetupError(planned.error);
  return { text, name, plan: planned.plan };
}

/** Everything one run made, removable synchronously from any exit path. */
class RunResources {
  readonly processes = new LabProcesses();
  readonly namespaces: string[] = [];
  watch: VipWatch | undefined;
  released = false;

  constructor(readonly workDir: string) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.watch?.close();
    this.processes.killAll();
    deleteNamespaces(this.namespaces);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

const live = new Set<RunResources>();
let exitHookInstalled = false;

/** Last resort: a process that exits without unwinding (process.exit, fatal error) still cleans up. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const resources of live) resources.release();
  });
}

export async function runLab(options: LabOptions, defaultConfig: string): Promise<{ report: LabReport; kept?: KeptLab }> {
  const { text, name, plan } = resolveConfig(options, defaultConfig);
  const implementationOf = (id: string) => IMPLEMENTATIONS[options.peer !== undefined && id === plan.primary ? options.peer : options.implementation];
  for (const director of plan.directors) {
    const missing = implementationOf(director.id).unavailable();
    if (missing) throw new LabSetupError(`${director.id}: ${missing}`);
  }
  const runId = newRunId();
  const resources = new RunResources(mkdtempSync(join(tmpdir(), `${LAB_PREFIX}${runId}-`)));
  live.add(resources);
  installExitHook();
  const results: ScenarioResult[] = [];
  let aborted: string | undefined;
  let kept: KeptLab | undefined;
  try {
    const configFile = join(resources.workDir, 'keepalived.conf');
    writeFileSync(configFile, text);
    options.progress(`lab ${runId}: building ${plan.directors.length} directors, ${plan.realServerAddresses.length} real servers and a client`);
    const topology: Topology = buildTopology(runId, plan, resources.namespaces);
    if (plan.directRouting) prepareDirectRouting(topology, plan.instance.vips);
    // keepalived stops altogether when its checker cannot reach IPVS: without IPVS, VRRP only.
    const vrrpOnly = plan.hasVirtualServer && !ipvsAvailable();
    if (vrrpOnly) options.progress(`lab ${runId}: this kernel has no IPVS: the daemons run VRRP only (-P)`);
    const directors = new Map(
      plan.directors.map((director) => {
        const member = topology.directors.find((m) => m.role === director.id)!;
        return [director.id, new Director(director.id, member.namespace, implementationOf(director.id), configFile, resources.workDir, resources.processes, vrrpOnly)] as const;
      }),
    );
    await Promise.all([
      ...topology.directors.map((member) => startResponder(resources.processes, member.namespace, member.role, HTTP_PORT)),
      ...topology.realServers.map((member) => startResponder(resources.processes, member.namespace, member.role, HTTP_PORT)),
    ]);
    const vip = plan.instance.vips[0]!;
    resources.watch = await VipWatch.open(vip, new Map([...directors].map(([id, director]) => [id, director.namespace])));
    const garp = await GarpCapture.start(resources.processes, topology.client.namespace, plan.instance.interfaceName);
    const ping = new PingProbe(resources.processes, topology.client.namespace, vip);
    const http = new HttpProbe(resources.processes, topology.client.namespace, `http://${vip.includes(':') ? `[${vip}]` : vip}:${HTTP_PORT}/`);
    const world = new LabWorld(plan, topology, directors, resources.processes, resources.watch, garp, ping, http, options.signal, options.progress);
    options.progress(`lab ${runId}: starting ${[...directors.values()].map((d) => `${d.id} (${d.implementation.name})`).join(', ')}`);
    for (const director of directors.values()) director.start();

    for (const scenarioName of options.scenarios) {
      const scenario = SCENARIOS[scenarioName];
      const skipped = scenario.skipReason?.(world);
      if (skipped !== undefined) {
        options.progress(`${scenarioName}: skipped: ${skipped}`);
        results.push({ scenario: scenarioName, summary: scenario.summary, runs: [], failures: [], skipped });
        continue;
      }
      const runs: Measurement[] = [];
      const failures: string[] = [];
      for (let round = 1; round <= options.repeat; round++) {
        options.signal.throwIfAborted();
        options.progress(`${scenarioName} ${round}/${options.repeat}: ${scenario.summary}`);
        try {
          const measured = await scenario.run(world);
          if (options.failScenario === scenarioName) throw new Error('forced failure (test option)');
          runs.push(measured);
          options.progress(`${scenarioName} ${round}/${options.repeat}: ${describe(measured)}`);
        } catch (error) {
          if (options.signal.aborted) throw error;
          const message = error instanceof Error ? error.message : String(error);
          failures.push(message);
          options.progress(`${scenarioName} ${round}/${options.repeat}: FAILED: ${message}`);
          for (const director of directors.values()) options.progress(`  ${director.id} log tail:\n${indent(director.logTail(8))}`);
        }
      }
      results.push({ scenario: scenarioName, summary: scenario.summary, runs, failures });
    }
    if (options.keep) {
      kept = { workDir: resources.workDir, namespaces: [...resources.namespaces], client: topology.client.namespace };
    }
  } catch (error) {
    if (!options.signal.aborted) throw error;
    aborted = String(options.signal.reason instanceof Error ? options.signal.reason.message : options.signal.reason);
  } finally {
    if (kept === undefined) {
      resources.release();
    } else {
      // Keep the daemons and HTTP servers; the observers only served this run.
      resources.watch?.close();
      for (const entry of resources.processes.running) {
        if (['tcpdump', 'ping', 'http-prober'].includes(entry.name)) entry.child.kill('SIGKILL');
        // Let this process exit while they run on: no handle of ours may stay open.
        entry.child.stdout?.destroy();
        entry.child.stderr?.destroy();
        entry.child.unref();
      }
    }
    live.delete(resources);
  }
  const report: LabReport = {
    runId,
    config: name,
    directors: plan.directors.map((d) => ({ id: d.id, implementation: implementationOf(d.id).name, priority: d.priority, primary: d.id === plan.primary })),
    vip: plan.instance.vips[0]!,
    version: plan.instance.version,
    advertIntSeconds: plan.instance.advertIntSeconds,
    unicast: plan.instance.unicast,
    masterDownSeconds: plan.masterDownSeconds,
    results,
    ...(aborted !== undefined ? { aborted } : {}),
  };
  return kept ? { report, kept } : { report };
}

function describe(measured: Measurement): string {
  const parts = [
    measured.vipSeconds !== undefined ? `VIP on ${measured.newMaster} after ${measured.vipSeconds.toFixed(3)} s` : measured.newMaster !== undefined ? `VIP stayed on ${measured.newMaster}` : '',
    measured.serverOutSeconds !== undefined ? `real server out of IPVS after ${measured.serverOutSeconds.toFixed(3)} s, back after ${measured.serverBackSeconds?.toFixed(3)} s` : '',
    measured.garpSeconds !== undefined ? `GARP ${measured.garpSeconds.toFixed(3)} s` : measured.newMaster !== undefined ? 'no GARP' : '',
    measured.pingGapSeconds !== undefined ? `ping gap ${measured.pingGapSeconds.toFixed(3)} s` : '',
    measured.recoverySeconds !== undefined ? `one master ${measured.recoverySeconds.toFixed(3)} s after healing` : '',
    measured.clientBackSeconds !== undefined ? `client back ${measured.clientBackSeconds.toFixed(3)} s after healing` : '',
    `${measured.transitions} state changes`,
  ];
  return parts.filter(Boolean).join(', ');
}

const indent = (text: string) => text.split('\n').map((line) => `    ${line}`).join('\n');
