// Which directors hold the measured VIP, followed through each director namespace's rtnetlink
// address notifications (no polling), with the time each change arrived.
import { listAddresses, openRouteSocket, RouteEvents } from '../netlink/index.js';
import { wallClockMs } from './measure.js';
import { inNamespace } from './netns.js';

export interface VipChange {
  readonly time: number;
  readonly director: string;
  readonly held: boolean;
}

type Waiter = { test: (holders: ReadonlySet<string>) => boolean; resolve: (time: number | undefined) => void };

export class VipWatch {
  readonly #holders = new Set<string>();
  readonly #events: RouteEvents[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly changes: VipChange[] = [];

  private constructor(readonly vip: string) {}

  /** Starts watching `vip` on every director (id → namespace) and reads who holds it now. */
  static async open(vip: string, directors: ReadonlyMap<string, string>): Promise<VipWatch> {
    const watch = new VipWatch(vip);
    for (const [director, namespace] of directors) {
      const events = inNamespace(namespace, () => RouteEvents.open({ links: false, addresses: true, receiveBufferBytes: 1 << 20 }));
      watch.#events.push(events);
      events.on('address', (event) => {
        if (event.address.address === vip) watch.#set(director, event.action === 'new');
      });
      events.on('resync', () => void watch.#resync(director, namespace));
      await watch.#resync(director, namespace);
    }
    return watch;
  }

  get holders(): ReadonlySet<string> {
    return this.#holders;
  }

  /**
   * Resolves with the time the holders first satisfy `test` (at once if they do now), or
   * undefined after `timeoutMs` or when `signal` aborts.
   */
  waitFor(test: (holders: ReadonlySet<string>) => boolean, timeoutMs: number, signal: AbortSignal): Promise<number | undefined> {
    if (test(this.#holders)) return Promise.resolve(wallClockMs());
    return new Promise((resolve) => {
      const finish = (time: number | undefined) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
        resolve(time);
      };
      const onAbort = () => finish(undefined);
      const waiter: Waiter = { test, resolve: finish };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    for (const events of this.#events) events.close();
    this.#events.length = 0;
    for (const waiter of [...this.#waiters]) waiter.resolve(undefined);
  }

  #set(director: string, held: boolean): void {
    if (this.#holders.has(director) === held) return;
    const time = wallClockMs();
    if (held) this.#holders.add(director);
    else this.#holders.delete(director);
    this.changes.push({ time, director, held });
    for (const waiter of [...this.#waiters]) if (waiter.test(this.#holders)) waiter.resolve(time);
  }

  async #resync(director: string, namespace: string): Promise<void> {
    const socket = inNamespace(namespace, () => openRouteSocket());
    try {
      const addresses = await listAddresses(socket);
      this.#set(director, addresses.some((address) => address.address === this.vip));
    } finally {
      socket.close();
    }
  }
}
