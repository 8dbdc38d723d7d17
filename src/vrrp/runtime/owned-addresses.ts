// What a MASTER owns in the kernel: its VIPs, excluded VIPs, virtual routes and rules, added on
// becoming MASTER and removed on leaving, through rtnetlink. "Already there" on add and "already
// gone" on remove are success: the goal is the state, not the operation. Other failures are logged
// and never thrown (a half-applied set must not stop the instance from advertising).
// The VIP requests are encoded ahead, for the link index the runtime knows (it follows links through
// rtnetlink events): a new MASTER's request then leaves at once, without an RTM_GETLINK round trip
// or encoding work between its first advert and its VIPs (measured: ~0.5 ms at a take-over).
import type { Logger } from '../../common/logger.js';
import { encodeAddressRequest, type AddressSpec } from '../../netlink/route/address.js';
import { RTM } from '../../netlink/route/constants.js';
import { resolveLinkIndex } from '../../netlink/route/link.js';
import { NLM_F } from '../../netlink/message.js';
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
  readonly #payloads = new Map<AddressSpec, Map<number, Buffer>>();

  constructor(
    private readonly netlink: NetlinkSocket,
    private readonly owned: OwnedSet,
    private readonly logger: Logger,
    private readonly prefix: string,
    /** The current index of a link by name, when known (else one RTM_GETLINK finds it). */
    private readonly linkIndex: (name: string) => number | undefined = () => undefined,
  ) {
    for (const spec of owned.addresses) {
      const index = this.#knownIndex(spec);
      if (index !== undefined) this.#payloadFor(spec, index);
    }
  }

  async add(): Promise<void> {
    // Addresses in parallel (one round trip for all), then the routes and rules that may use them.
    await Promise.all(this.owned.addresses.map((spec) => this.#try(`adding ${spec.address}`, () => this.#addressRequest(RTM.NEWADDR, spec), ALREADY_PRESENT)));
    for (const spec of this.owned.routes) await this.#try(`adding route ${spec.destination}`, () => addRoute(this.netlink, spec), ALREADY_PRESENT);
    for (const spec of this.owned.rules) await this.#try(`adding rule ${spec.from ?? spec.to ?? ''}`, () => addRule(this.netlink, spec), ALREADY_PRESENT);
  }

  async remove(): Promise<void> {
    for (const spec of this.owned.rules) await this.#try(`removing rule ${spec.from ?? spec.to ?? ''}`, () => deleteRule(this.netlink, spec), ALREADY_ABSENT);
    for (const spec of this.owned.routes) await this.#try(`removing route ${spec.destination}`, () => deleteRoute(this.netlink, spec), ALREADY_ABSENT);
    await Promise.all(this.owned.addresses.map((spec) => this.#try(`removing ${spec.address}`, () => this.#addressRequest(RTM.DELADDR, spec), ALREADY_ABSENT)));
  }

  /** RTM_NEWADDR (exclusive create: an existing address is EEXIST) or RTM_DELADDR for one VIP. */
  async #addressRequest(type: typeof RTM.NEWADDR | typeof RTM.DELADDR, spec: AddressSpec): Promise<void> {
    const index = this.#knownIndex(spec) ?? await resolveLinkIndex(this.netlink, spec.link);
    const verb = type === RTM.NEWADDR ? 'RTM_NEWADDR' : 'RTM_DELADDR';
    await this.netlink.request({
      type,
      ...(type === RTM.NEWADDR ? { flags: NLM_F.CREATE | NLM_F.EXCL } : {}),
      payload: this.#payloadFor(spec, index),
      operation: `${verb} ${spec.address} dev ${spec.link}`,
    });
  }

  #knownIndex(spec: AddressSpec): number | undefined {
    return typeof spec.link === 'number' ? spec.link : this.linkIndex(spec.link);
  }

  /** The request body for `spec` on the link with this index, encoded once per index. */
  #payloadFor(spec: AddressSpec, index: number): Buffer {
    let byIndex = this.#payloads.get(spec);
    if (byIndex === undefined) {
      byIndex = new Map();
      this.#payloads.set(spec, byIndex);
    }
    let payload = byIndex.get(index);
    if (payload === undefined) {
      payload = encodeAddressRequest(spec, index);
      byIndex.set(index, payload);
    }
    return payload;
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
