// The operations surface of the process serving the endpoint (the VRRP process; the checker
// process when it runs alone), in one object the process starts after its runtime:
// the opt-in HTTP endpoint (/status, /metrics; kts_status_socket / kts_status_listen in
// global_defs or --status-socket / --status-listen) and the state, stats and JSON dumps (the
// process binds them to USR1, USR2 and JSON_DUMP_SIGNAL through child-lifecycle.ts). It reads
// the runtime's stats() on demand and keeps only what the runtime does not: since when each
// tracker has been up or failing. Virtual servers come from the checker's snapshot, asked for at
// each /status or /metrics request (checkerSnapshot). The endpoint's modules (node:http,
// prom-client and the metric definitions) load only when an endpoint is configured: the VRRP
// child of a daemon without one neither spends the start-up time nor keeps the memory.
//
//   const ops = await StatusService.start({ runtime, config, logger, initialTrackers, statusSocket });
//   ops.trackerChanged('VI_1', status);   // next to runtime.updateTracker
//   ops.configReloaded(newConfig);        // after a successful reload
//   await ops.close();
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/model.js';
import { instanceDefinitions } from '../vrrp/instance-config.js';
import type { TrackerStatus } from '../vrrp/priority.js';
import type { RuntimeStats } from '../vrrp/runtime/runtime.js';
import type { InstanceDefinition } from '../vrrp/runtime/spec.js';
import { monotonicNowMs } from '../vrrp/timer-set.js';
import type { CheckerSnapshot } from './checker-snapshot.js';
import { dumpFilePath, writeDumpFile, type DumpKind } from './dump-files.js';
import { keepalivedJsonDump } from './dump-json.js';
import { stateDumpText, statsDumpText } from './dump-text.js';
import { buildStatus, type StatusClock, type StatusDocument } from './status-model.js';
import type { StatusEndpoint, StatusServer } from './status-server.js';
import { TrackerLog } from './status-trackers.js';

export interface StatusServiceOptions {
  readonly runtime: { stats(): RuntimeStats };
  readonly config: Config;
  readonly logger: Logger;
  /** Tracker statuses known before the instances started (the runtime's initialTrackers). */
  readonly initialTrackers?: ((instance: string) => readonly TrackerStatus[]) | undefined;
  /** --status-socket: wins over kts_status_socket. */
  readonly statusSocket?: string | undefined;
  /** --status-listen: wins over kts_status_listen. */
  readonly statusListen?: string | undefined;
  /** The checker process' snapshot (over the supervisor's relay, or the checker itself). */
  readonly checkerSnapshot?: () => Promise<CheckerSnapshot | undefined>;
}

function clockNow(): StatusClock {
  return { wallMs: Date.now(), monotonicMs: monotonicNowMs() };
}

export class StatusService {
  readonly #trackers = new TrackerLog();
  #config: Config;
  #definitions: Map<string, InstanceDefinition>;
  readonly #servers: StatusServer[] = [];

  private constructor(private readonly options: StatusServiceOptions) {
    this.#config = options.config;
    this.#definitions = definitionsByName(options.config);
    for (const name of this.#definitions.keys()) {
      for (const status of options.initialTrackers?.(name) ?? []) this.#trackers.record(name, status);
    }
  }

  static async start(options: StatusServiceOptions): Promise<StatusService> {
    const service = new StatusService(options);
    const wanted = service.#wantedEndpoints();
    if (wanted.socketPath === undefined && wanted.listen === undefined) return service;
    const [{ createVrrpMetrics }, { parseListenAddress, StatusServer }] = await Promise.all([import('./metrics.js'), import('./status-server.js')]);
    const endpoints: StatusEndpoint[] = [];
    if (wanted.socketPath !== undefined) endpoints.push({ socketPath: wanted.socketPath });
    if (wanted.listen !== undefined) {
      const parsed = parseListenAddress(wanted.listen);
      if ('error' in parsed) options.logger.error(`status endpoint not started: ${parsed.error}`);
      else endpoints.push(parsed);
    }
    const metrics = createVrrpMetrics({
      stats: () => options.runtime.stats(),
      trackersOf: (name) => service.#trackers.of(name),
      ...(options.checkerSnapshot === undefined ? {} : { checkerSnapshot: options.checkerSnapshot }),
    });
    for (const endpoint of endpoints) {
      try {
        const server = await StatusServer.start(endpoint, {
          status: () => service.status(),
          metricsContentType: metrics.contentType,
          metrics: () => metrics.render(),
        });
        service.#servers.push(server);
        options.logger.info(`status endpoint listening on ${'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${server.port}`} (/status, /metrics)`);
      } catch (error) {
        options.logger.error({ err: error }, `cannot start the status endpoint: ${(error as Error).message}`);
      }
    }
    return service;
  }

  async status(): Promise<StatusDocument> {
    const checker = await this.options.checkerSnapshot?.();
    return buildStatus(this.options.runtime.stats(), (name) => this.#trackers.of(name), clockNow(), process.pid, checker);
  }

  trackerChanged(instance: string, status: TrackerStatus): void {
    this.#trackers.record(instance, status);
  }

  trackersReplaced(instance: string, statuses: readonly TrackerStatus[]): void {
    this.#trackers.replace(instance, statuses);
  }

  configReloaded(config: Config): void {
    this.#config = config;
    this.#definitions = definitionsByName(config);
  }

  dumpState(): void {
    this.#write('state', () => stateDumpText(this.options.runtime.stats(), this.#definitions, (name) => this.#trackers.of(name), clockNow()));
  }

  dumpStats(): void {
    this.#write('stats', () => statsDumpText(this.options.runtime.stats()));
  }

  dumpJson(): void {
    this.#write('json', () => JSON.stringify(keepalivedJsonDump(this.options.runtime.stats(), this.#definitions, clockNow())));
  }

  async close(): Promise<void> {
    await Promise.all(this.#servers.splice(0).map((server) => server.close()));
  }

  #write(kind: DumpKind, render: () => string): void {
    const path = dumpFilePath(kind, this.#config.global.settings);
    void writeDumpFile(path, render()).then((error) => {
      if (error === undefined) this.options.logger.info(`${kind} dump written to ${path}`);
      else this.options.logger.error(error);
    });
  }

  /** The endpoints asked for, by flag (wins) or global_defs. */
  #wantedEndpoints(): { readonly socketPath: string | undefined; readonly listen: string | undefined } {
    const settings = this.#config.global.settings;
    return {
      socketPath: this.options.statusSocket ?? stringSetting(settings['kts_status_socket']),
      listen: this.options.statusListen ?? stringSetting(settings['kts_status_listen']),
    };
  }
}

function stringSetting(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function definitionsByName(config: Config): Map<string, InstanceDefinition> {
  return new Map(instanceDefinitions(config).map((d) => [d.config.name, d]));
}
