// What a MASTER owns in the kernel: its VIPs, excluded VIPs, virtual routes and rules, added on
// becoming MASTER and removed on leaving, through rtnetlink. "Already there" on add and "already
// gone" on remove are success: the goal is the state, not the operation. Other failures are logged
// and never thrown (a half-applied set must not stop the instance from advertising).
// The VIP requests are encoded ahead, for the link index the runtime knows (it follows links through
// rtnetlink events): a new MASTER's request then leaves at once, without an RTM_GETLINK round trip
// or encoding work between its first advert and its VIPs (measured: ~0.5 ms at a take-over).
// At a take-over the addon can even send them itself, right behind the advert (prepareAdd).
import type { Logger } from '../../common/logger.js';
import { encodeAddressRequest, type AddressSpec } from '../../netlink/route/address.js';
import { RTM } from '../../netlink/route/constants.js';
import { resolveLinkIndex } from '../../netlink/route/link.js';
import { NLM_F } from '../../netlink/message.js';
import { addRoute, deleteRoute, type RouteSpec } from '../../netlink/route/route.js';
import { addRule, deleteRule, type RuleSpec } from '../../netlink/route/rule.js';
import type { NetlinkRequest, NetlinkSocket, PreparedNetlinkRequest } from '../../netlink/socket.js';
import type { PreparedSend } from '../../sys/native.js';

export interface OwnedSet {
  readonly addresses: readonly AddressSpec[];
  readonly routes: readonly RouteSpec[];
  readonly rules: readonly RuleSpec[];
}

/** VIP requests sent ahead by the addon, each with its (settled-quietly) answer. */
export type SentAheadAdds = ReadonlyMap<AddressSpec, Promise<void>>;

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

  /**
   * The VIPs' RTM_NEWADDR requests ready for the addon to send right behind a take-over advert
   * (instance-driver.ts). `sent(left)` then says which of them left (by position): their answers
   * are awaited by add(sentAhead) instead of new requests. Undefined when a VIP's link index is
   * unknown or the socket cannot take them at once (add() does it all then).
   */
  prepareAdd(): { readonly sends: PreparedSend[]; sent(left: readonly boolean[]): SentAheadAdds } | undefined {
    const prepared: { spec: AddressSpec; request: PreparedNetlinkRequest }[] = [];
    for (const spec of this.owned.addresses) {
      const index = this.#knownIndex(spec);
      const request = index === undefined ? undefined : this.netlink.prepareRequest(this.#newAddressRequest(spec, index));
      if (request === undefined) return undefined;
      prepared.push({ spec, request });
    }
    return {
      sends: prepared.map(({ request }) => [request.fd, request.bytes, request.peer] as const),
      sent: (left) => {
        const answers = new Map<AddressSpec, Promise<void>>();
        prepared.forEach(({ spec, request }, i) => {
          if (left[i] !== true) return;
          const answer = request.sent().then(() => undefined);
          answer.catch(() => undefined); // add() reports it; unclaimed, it must not be an unhandled rejection
          answers.set(spec, answer);
        });
        return answers;
      },
    };
  }

  /** `sentAhead`: VIP requests the addon already sent (prepareAdd): only their answers are awaited. */
  async add(sentAhead?: SentAheadAdds): Promise<void> {
    // Addresses in parallel (one round trip for all), then the routes and rules that may use them.
    await Promise.all(this.owned.addresses.map((spec) => {
      const answer = sentAhead?.get(spec);
      return this.#try(`adding ${spec.address}`, () => answer ?? this.#addressRequest(RTM.NEWADDR, spec), ALREADY_PRESENT);
    }));
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
    if (type === RTM.NEWADDR) {
      await this.netlink.request(this.#newAddressRequest(spec, index));
      return;
    }
    await this.netlink.request({ type, payload: this.#payloadFor(spec, index), operation: `RTM_DELADDR ${spec.address} dev ${spec.link}` });
  }

  /** RTM_NEWADDR as an exclusive create: an existing address is EEXIST. */
  #newAddressRequest(spec: AddressSpec, index: number): NetlinkRequest {
    return { type: RTM.NEWADDR, flags: NLM_F.CREATE | NLM_F.EXCL, payload: this.#payloadFor(spec, index), operation: `RTM_NEWADDR ${spec.address} dev ${spec.link}` };
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
