// The shell around reconcile.ts: reads the kernel's IPVS table, applies the planned difference
// through IpvsClient.apply and remembers what we own. A refused change (someone else edited the
// table in between) is logged and the next sync starts again from a fresh dump, so the kernel
// converges on the desired table without us ever flushing entries that are not ours.
// With `persistence`, what we own survives the process: a run killed with -9 leaves its entries
// in the kernel, and the next run starts from that list, so it removes those its config no
// longer names (a fresh start would otherwise take them for another tool's).
import type { IpvsClient, IpvsChange } from '../ipvs/client.js';
import type { Destination, ServiceKey } from '../ipvs/types.js';
import type { DesiredService } from './desired.js';
import { NOTHING_OWNED, reconcile, removeOwned, type Owned } from './reconcile.js';

export interface TableKeeperLog {
  info(message: string): void;
  error(message: string): void;
}

export interface OwnedPersistence {
  /** What the previous run owned (NOTHING_OWNED when there was none). */
  readonly initial: Owned;
  /** Called after every change of what we own. */
  save(owned: Owned): void;
}

export interface SyncResult {
  readonly applied: readonly IpvsChange[];
  readonly failed: boolean;
}

export class TableKeeper {
  readonly #client: IpvsClient;
  readonly #log: TableKeeperLog;
  #owned: Owned = NOTHING_OWNED;
  #queue: Promise<unknown> = Promise.resolve();
  #changesApplied = 0;

  readonly #persistence: OwnedPersistence | undefined;

  constructor(client: IpvsClient, log: TableKeeperLog, persistence?: OwnedPersistence) {
    this.#client = client;
    this.#log = log;
    this.#persistence = persistence;
    if (persistence) this.#owned = persistence.initial;
  }

  get changesApplied(): number {
    return this.#changesApplied;
  }

  /** Makes the kernel hold `desired` for what we own; syncs run one at a time, in call order. */
  sync(desired: readonly DesiredService[]): Promise<SyncResult> {
    const run = this.#queue.then(() => this.#sync(desired));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Removes every service we own (stop without -I). */
  removeAll(): Promise<SyncResult> {
    const run = this.#queue.then(async () => {
      const result = await this.#apply(removeOwned(await this.#client.table(), this.#owned));
      this.#setOwned(NOTHING_OWNED);
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #sync(desired: readonly DesiredService[]): Promise<SyncResult> {
    const plan = reconcile(desired, await this.#client.table(), this.#owned);
    const result = await this.#apply(plan.changes);
    // Even after a refusal we own what the plan names: the next sync re-reads the kernel and retries.
    this.#setOwned(plan.owned);
    return result;
  }

  #setOwned(owned: Owned): void {
    this.#owned = owned;
    this.#persistence?.save(owned);
  }

  async #apply(changes: readonly IpvsChange[]): Promise<SyncResult> {
    if (changes.length === 0) return { applied: [], failed: false };
    const failure = await this.#client.apply(changes);
    const applied = failure ? changes.slice(0, failure.index) : changes;
    this.#changesApplied += applied.length;
    for (const change of applied) this.#log.info(describeChange(change));
    if (failure) this.#log.error(`IPVS: ${describeChange(changes[failure.index]!)} failed: ${failure.error.message}`);
    return { applied, failed: failure !== null };
  }
}

/** "[10.0.0.100]:tcp:80" / "FWM 5": keepalived's spelling of a virtual server in its logs. */
function vsName(key: ServiceKey): string {
  return key.fwmark !== undefined ? `FWM ${key.fwmark}` : `[${key.address}]:${key.protocol}:${key.port}`;
}

function rsName(service: ServiceKey, destination: Pick<Destination, 'address' | 'port'>): string {
  return `[${destination.address}]:${service.protocol ?? 'tcp'}:${destination.port}`;
}

/** keepalived-like wording of a table change, for the log. */
export function describeChange(change: IpvsChange): string {
  switch (change.kind) {
    case 'addService':
      return `Adding virtual server ${vsName(change.service)}`;
    case 'editService':
      return `Updating virtual server ${vsName(change.service)}`;
    case 'deleteService':
      return `Removing virtual server ${vsName(change.service)}`;
    case 'addDestination':
      return `Adding service ${rsName(change.service, change.destination)} to VS ${vsName(change.service)} (weight ${change.destination.weight})`;
    case 'editDestination':
      return `Setting weight ${change.destination.weight} for service ${rsName(change.service, change.destination)} in VS ${vsName(change.service)}`;
    case 'deleteDestination':
      return `Removing service ${rsName(change.service, change.destination)} from VS ${vsName(change.service)}`;
    case 'flush':
      return 'Flushing the IPVS table';
  }
}
