// What a MASTER owns in the kernel: its VIPs, excluded VIPs, virtual routes and rules, added on
// becoming MASTER and removed on leaving, through rtnetlink. "Already there" on add and "already
// gone" on remove are success: the goal is the state, not the operation. Other failures are logged
// and never thrown (a half-applied set must not stop the instance from advertising).
import type { Logger } from '../../common/logger.js';
import { addAddress, deleteAddress, type AddressSpec } from '../../netlink/route/address.js';
import { addRoute, deleteRoute, type RouteSpec } from '../../netlink/route/route.js';
import { addRule, deleteRule, type RuleSpec } from '../../netlink/route/rule.js';
import type { NetlinkSocket } from '../../netlink/socket.js';

export interface OwnedSet {
  readonly addresses: readonly AddressSpec[];
  readonly routes: readonly RouteSpec[];
  readonly rules: readonly RuleSpec[];
}

const ALREADY_PRESENT = new Set(['EEXIST']);
const ALREADY_ABSENT = new Set(['EADDRNOTAVAIL', 'ENOENT', 'ESRCH', 'ENODEV']);

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

export class OwnedAddresses {
  failures = 0;

  constructor(
    private readonly netlink: NetlinkSocket,
    private readonly owned: OwnedSet,
    private readonly logger: Logger,
    private readonly prefix: string,
    /**
     * The current index of a link by name (the runtime follows links through rtnetlink events): a
     * VIP request then goes out at once, without an RTM_GETLINK round trip before it.
     */
    private readonly linkIndex: (name: string) => number | undefined = () => undefined,
  ) {}

  async add(): Promise<void> {
    // Addresses in parallel (one round trip for all), then the routes and rules that may use them.
    await Promise.all(this.owned.addresses.map((spec) => this.#try(`adding ${spec.address}`, () => addAddress(this.netlink, this.#byIndex(spec)), ALREADY_PRESENT)));
    for (const spec of this.owned.routes) await this.#try(`adding route ${spec.destination}`, () => addRoute(this.netlink, spec), ALREADY_PRESENT);
    for (const spec of this.owned.rules) await this.#try(`adding rule ${spec.from ?? spec.to ?? ''}`, () => addRule(this.netlink, spec), ALREADY_PRESENT);
  }

  async remove(): Promise<void> {
    for (const spec of this.owned.rules) await this.#try(`removing rule ${spec.from ?? spec.to ?? ''}`, () => deleteRule(this.netlink, spec), ALREADY_ABSENT);
    for (const spec of this.owned.routes) await this.#try(`removing route ${spec.destination}`, () => deleteRoute(this.netlink, spec), ALREADY_ABSENT);
    await Promise.all(this.owned.addresses.map((spec) => this.#try(`removing ${spec.address}`, () => deleteAddress(this.netlink, this.#byIndex(spec)), ALREADY_ABSENT)));
  }

  #byIndex(spec: AddressSpec): AddressSpec {
    const index = typeof spec.link === 'string' ? this.linkIndex(spec.link) : undefined;
    return index === undefined ? spec : { ...spec, link: index };
  }

  async #try(what: string, operation: () => Promise<void>, harmless: ReadonlySet<string>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      if (harmless.has(codeOf(error) ?? '')) return;
      this.failures++;
      this.logger.error({ err: error }, `${this.prefix}${what} failed: ${(error as Error).message}`);
    }
  }
}
