// The shell over plan.ts: follows instance transitions and keeps the nftables sets in step, one
// `nft -f -` at a time (in order, off the VRRP timing path: the VIPs and adverts of a take-over
// never wait for nft). Failures are logged, never thrown; without the nft binary it says once that
// no_accept VIPs stay reachable. Tables are created on the first MASTER that needs them and
// deleted on close, as keepalived does.
import { spawn } from 'node:child_process';
import type { Family } from '../../config/values/ip.js';
import { createTableScript, deleteTableScript, elementsScript, type FirewallPlan } from './plan.js';

export interface FirewallLog {
  info(message: string): void;
  error(message: string): void;
}

/** Runs an nft script; resolves with nft's error text, or undefined when it succeeded. */
export type NftRunner = (script: string) => Promise<string | undefined>;

const NO_PLAN: FirewallPlan = { table: 'keepalived', instances: new Map() };

export class VipFirewall {
  #plan: FirewallPlan;
  readonly #run: NftRunner;
  readonly #log: FirewallLog;
  readonly #masters = new Set<string>();
  /** What the kernel's sets hold, per family whose table we created. */
  readonly #applied = new Map<Family, Set<string>>();
  #queue: Promise<void> = Promise.resolve();
  /** nft runs that failed (each logged with nft's message). */
  failures = 0;

  /** `plan` undefined (no firewalled instance): nothing runs until a reload brings one. */
  constructor(plan: FirewallPlan | undefined, log: FirewallLog, run: NftRunner = runNft) {
    this.#plan = plan ?? NO_PLAN;
    this.#log = log;
    this.#run = run;
    if (plan?.rejectedTableName !== undefined) log.error(`nftables: '${plan.rejectedTableName}' is not a valid table name - using keepalived`);
  }

  /** Every instance transition goes here; only firewalled instances entering or leaving MASTER change the sets. */
  instanceState(name: string, state: string): void {
    const master = state === 'MASTER';
    if (master === this.#masters.has(name)) return;
    if (master) this.#masters.add(name);
    else this.#masters.delete(name);
    if (this.#plan.instances.has(name)) void this.#enqueue(() => this.#reconcile());
  }

  /** A reload's plan: the sets follow it for the instances that are MASTER now. */
  replacePlan(plan: FirewallPlan | undefined): void {
    this.#plan = plan ?? { ...NO_PLAN, table: this.#plan.table };
    void this.#enqueue(() => this.#reconcile());
  }

  /** Deletes the tables we created (after every queued change). */
  close(): Promise<void> {
    return this.#enqueue(async () => {
      for (const family of this.#applied.keys()) await this.#apply(deleteTableScript(family, this.#plan.table), `deleting the ${family} table`);
      this.#applied.clear();
    });
  }

  /** Resolves when every change queued so far has been applied (tests). */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Brings each family's set to the VIPs of the firewalled instances that are MASTER. */
  async #reconcile(): Promise<void> {
    const wanted = new Map<Family, Set<string>>();
    for (const name of this.#masters) {
      const instance = this.#plan.instances.get(name);
      if (!instance) continue;
      const set = wanted.get(instance.family) ?? new Set<string>();
      for (const address of instance.addresses) set.add(address);
      wanted.set(instance.family, set);
    }
    for (const family of ['inet', 'inet6'] as const) {
      const want = wanted.get(family) ?? new Set<string>();
      let have = this.#applied.get(family);
      if (!have) {
        if (want.size === 0) continue;
        if (!(await this.#apply(createTableScript(family, this.#plan.table), `creating the ${family} table`))) continue;
        have = new Set();
        this.#applied.set(family, have);
      }
      const gone = [...have].filter((a) => !want.has(a));
      const fresh = [...want].filter((a) => !have.has(a));
      if (gone.length && (await this.#apply(elementsScript('delete', family, this.#plan.table, gone), 'removing VIPs'))) for (const a of gone) have.delete(a);
      if (fresh.length && (await this.#apply(elementsScript('add', family, this.#plan.table, fresh), 'adding VIPs'))) for (const a of fresh) have.add(a);
    }
  }

  async #apply(script: string, what: string): Promise<boolean> {
    const failure = await this.#run(script);
    if (failure !== undefined) this.#log.error(`nftables: ${what} failed (${++this.failures} so far): ${failure}`);
    return failure === undefined;
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(step, step);
    return this.#queue;
  }
}

let nftMissingReported = false;

/** `nft -f -` with the script on stdin. */
export function runNft(script: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn('nft', ['-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') return resolve(error.message);
      const first = !nftMissingReported;
      nftMissingReported = true;
      resolve(first ? 'nft not found (install the nftables package): VIPs of no_accept / vrrp_strict instances stay reachable' : 'nft not found');
    });
    child.on('close', (code) => {
      if (code === 0) resolve(undefined);
      else if (code !== null) resolve(stderr.trim().split('\n').slice(0, 3).join(' / ') || `nft exited with ${code}`);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
  });
}
