// A running lab as the scenarios see it: the plan, the directors, the observers, and the moves
// that bring the topology back to its steady state (every daemon up, every link up, no partition,
// the primary alone holding the VIP).
import type { Director } from './director.js';
import type { GarpCapture } from './garp-capture.js';
import { startResponder, type HttpProbe } from './http-probe.js';
import { wallClockMs } from './measure.js';
import type { PingProbe } from './ping-probe.js';
import type { LabPlan } from './plan.js';
import type { LabProcesses } from './processes.js';
import { ip, isolatePorts, type Topology } from './topology.js';
import type { VipWatch } from './vip-watch.js';

/** Where every director and real server answers HTTP. */
export const HTTP_PORT = 80;

export class ScenarioFailure extends Error {}

export class LabWorld {
  readonly #downLinks = new Set<string>();
  #partitioned = false;

  constructor(
    readonly plan: LabPlan,
    readonly topology: Topology,
    readonly directors: ReadonlyMap<string, Director>,
    readonly processes: LabProcesses,
    readonly vip: VipWatch,
    readonly garp: GarpCapture,
    readonly ping: PingProbe,
    readonly http: HttpProbe,
    readonly signal: AbortSignal,
    readonly progress: (line: string) => void,
  ) {}

  get primary(): Director {
    return this.directors.get(this.plan.primary)!;
  }

  get backup(): Director {
    return this.directors.get(this.plan.backup)!;
  }

  /** How long any single VRRP move may take before the scenario fails. */
  get moveTimeoutMs(): number {
    return Math.max(5_000, 4_000 * this.plan.masterDownSeconds + 2_000);
  }

  /** Quiet time after a move, so late flaps are seen and counted. */
  get settleMs(): number {
    return Math.max(300, 2_000 * this.plan.instance.advertIntSeconds);
  }

  macOf(director: string): string | undefined {
    return this.topology.directors.find((member) => member.role === director)?.macs.get(this.plan.instance.interfaceName);
  }

  namespaceOf(director: string): string {
    return this.directors.get(director)!.namespace;
  }

  setLink(director: string, up: boolean): void {
    ip(['-n', this.namespaceOf(director), 'link', 'set', this.plan.instance.interfaceName, up ? 'up' : 'down']);
    if (up) this.#downLinks.delete(director);
    else this.#downLinks.add(director);
  }

  /** Isolated bridge ports cannot reach each other but still reach the client and real servers. */
  setPartition(partitioned: boolean): void {
    isolatePorts(this.topology, [...this.directors.keys()], this.plan.lans.map((lan) => lan.interfaceName), partitioned);
    this.#partitioned = partitioned;
  }

  /** Resolves after `ms`, or rejects when the run is aborted. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) return reject(this.signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.signal.reason);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Waits for the holders of the VIP to satisfy `test`; throws ScenarioFailure with `what` on timeout. */
  async expect(what: string, test: (holders: ReadonlySet<string>) => boolean, timeoutMs = this.moveTimeoutMs): Promise<number> {
    const time = await this.vip.waitFor(test, timeoutMs, this.signal);
    this.signal.throwIfAborted();
    if (time === undefined) throw new ScenarioFailure(`${what} within ${(timeoutMs / 1000).toFixed(1)} s (VIP held by: ${[...this.vip.holders].join(', ') || 'nobody'})`);
    return time;
  }

  /** Every daemon up, every link up, no partition, the primary alone holding the VIP, the client reaching it. */
  async steady(): Promise<void> {
    for (const director of [...this.#downLinks]) this.setLink(director, true);
    if (this.#partitioned) this.setPartition(false);
    for (const director of this.directors.values()) {
      await director.settled();
      director.start();
    }
    await this.expect(`the VIP on ${this.plan.primary} alone`, (holders) => onlyHeldBy(holders, this.plan.primary));
    const since = wallClockMs();
    await this.sleep(this.settleMs);
    await this.clientReply(since, this.moveTimeoutMs, 'in the steady state');
  }

  /** Waits for a ping reply received after `since`; returns its time. */
  async clientReply(since: number, timeoutMs: number, when: string): Promise<number> {
    const deadline = wallClockMs() + timeoutMs;
    for (;;) {
      const reply = this.ping.replies.find((time) => time > since);
      if (reply !== undefined) return reply;
      if (wallClockMs() > deadline) throw new ScenarioFailure(`the client got no ping reply from ${this.plan.instance.vips[0]} ${when} within ${(timeoutMs / 1000).toFixed(1)} s`);
      await this.sleep(20);
    }
  }

  /** Starts a real server's HTTP responder again (after a scenario stopped it). */
  async restartRealServer(role: string): Promise<void> {
    const member = this.topology.realServers.find((server) => server.role === role);
    if (member) await startResponder(this.processes, member.namespace, role, HTTP_PORT);
  }

  /** Log positions of every director, to count state changes from here on. */
  logPositions(): Map<string, number> {
    return new Map([...this.directors].map(([id, director]) => [id, director.logPosition()]));
  }

  stateChangesSince(positions: ReadonlyMap<string, number>): number {
    let count = 0;
    for (const [id, director] of this.directors) count += director.changesSince(positions.get(id) ?? 0).length;
    return count;
  }
}

export function onlyHeldBy(holders: ReadonlySet<string>, director: string): boolean {
  return holders.size === 1 && holders.has(director);
}
