// The IPVS client: every operation of the generic netlink family "IPVS" as an async method over
// one netlink socket, plus apply() for bulk changes packed many to a datagram. Kernel refusals
// become IpvsError.
import { NLM_F } from '../netlink/message.js';
import { NetlinkError } from '../netlink/errors.js';
import { genlRequest, openGenlSocket, resolveGenlFamily, type GenlFamily } from '../netlink/genl.js';
import type { NetlinkSocket, NetlinkSocketOptions } from '../netlink/socket.js';
import { IPVS_CMD, IPVS_GENL_NAME } from './constants.js';
import {
  decodeDaemonMessage, decodeDestinationMessage, decodeInfoMessage, decodeServiceMessage, decodeTimeoutsMessage,
  encodeDaemon, encodeDaemonState, encodeDestinationKey, encodeDestinationRequest, encodeService, encodeServiceKey, encodeTimeouts,
  type DecodeResult,
} from './codec.js';
import { IpvsError, IpvsProtocolError, type IpvsErrorContext, type IpvsOperation } from './errors.js';
import { describeService, hostPort } from './notation.js';
import { sendBatched } from './batch.js';
import type {
  Destination, DestinationKey, DestinationState, IpvsInfo, IpvsTimeouts, Service, ServiceEntry, ServiceKey, ServiceState,
  SyncDaemon,
} from './types.js';

export class IpvsClient {
  readonly #socket: NetlinkSocket;
  readonly #family: GenlFamily;

  private constructor(socket: NetlinkSocket, family: GenlFamily) {
    this.#socket = socket;
    this.#family = family;
  }

  /** Opens a generic netlink socket and resolves the IPVS family (IpvsError when the kernel lacks it). */
  static async open(options: NetlinkSocketOptions = {}): Promise<IpvsClient> {
    const socket = openGenlSocket(options);
    try {
      return new IpvsClient(socket, await resolveGenlFamily(socket, IPVS_GENL_NAME));
    } catch (error) {
      socket.close();
      if (error instanceof NetlinkError && error.code === 'ENOENT') throw new IpvsError('RESOLVE_FAMILY', error.errno);
      throw error;
    }
  }

  close(): void {
    this.#socket.close();
  }

  async info(): Promise<IpvsInfo> {
    const [reply] = await this.#request('GET_INFO', []);
    return this.#decoded('GET_INFO', reply ? decodeInfoMessage(reply) : { ok: false, reason: 'no reply' });
  }

  async services(): Promise<ServiceState[]> {
    const replies = await this.#request('GET_SERVICE', [], {}, NLM_F.DUMP);
    return replies.map((reply) => this.#decoded('GET_SERVICE', decodeServiceMessage(reply)));
  }

  async service(key: ServiceKey): Promise<ServiceState> {
    const [reply] = await this.#request('GET_SERVICE', [encodeServiceKey(key)], { service: describeService(key) });
    return this.#decoded('GET_SERVICE', reply ? decodeServiceMessage(reply) : { ok: false, reason: 'no reply' });
  }

  async destinations(key: ServiceKey): Promise<DestinationState[]> {
    const replies = await this.#request('GET_DEST', [encodeServiceKey(key)], { service: describeService(key) }, NLM_F.DUMP);
    return replies.map((reply) => this.#decoded('GET_DEST', decodeDestinationMessage(reply, key.family)));
  }

  /** Every service with its destinations. */
  async table(): Promise<ServiceEntry[]> {
    const services = await this.services();
    return Promise.all(services.map(async (service) => ({ service, destinations: await this.destinations(service) })));
  }

  async addService(service: Service): Promise<void> {
    await this.#change({ kind: 'addService', service });
  }

  async editService(service: Service): Promise<void> {
    await this.#change({ kind: 'editService', service });
  }

  async deleteService(key: ServiceKey): Promise<void> {
    await this.#change({ kind: 'deleteService', service: key });
  }

  async addDestination(service: ServiceKey, destination: Destination): Promise<void> {
    await this.#change({ kind: 'addDestination', service, destination });
  }

  async editDestination(service: ServiceKey, destination: Destination): Promise<void> {
    await this.#change({ kind: 'editDestination', service, destination });
  }

  async deleteDestination(service: ServiceKey, destination: DestinationKey & Pick<Destination, 'family'>): Promise<void> {
    await this.#change({ kind: 'deleteDestination', service, destination });
  }

  /**
   * Applies many changes in order, packed many to a datagram (see batch.ts): for bulk work such
   * as 10,000 destinations. Stops soon after the first refusal (changes packed in the same
   * datagram after it still run) and returns its index with the IpvsError, or null.
   */
  async apply(changes: readonly IpvsChange[]): Promise<{ index: number; error: IpvsError } | null> {
    const requests = changes.map(changeRequest);
    const failure = await sendBatched(this.#family, requests.map(({ operation, attributes }) => ({ cmd: IPVS_CMD[operation], attributes })));
    if (!failure) return null;
    const { operation, context } = requests[failure.index]!;
    const kernelMessage = failure.extendedMessage ? { kernelMessage: failure.extendedMessage } : {};
    return { index: failure.index, error: new IpvsError(operation, failure.errno, { ...context, ...kernelMessage }) };
  }

  /** Removes every service (and so every destination). */
  async flush(): Promise<void> {
    await this.#change({ kind: 'flush' });
  }

  /** Zeroes the counters of one service, or of all when no key is given. */
  async zero(key?: ServiceKey): Promise<void> {
    await this.#request('ZERO', key ? [encodeServiceKey(key)] : [], key ? { service: describeService(key) } : {});
  }

  async timeouts(): Promise<IpvsTimeouts> {
    const [reply] = await this.#request('GET_CONFIG', []);
    return this.#decoded('GET_CONFIG', reply ? decodeTimeoutsMessage(reply) : { ok: false, reason: 'no reply' });
  }

  /** Sets the given timeouts (seconds); the others are left as they are. */
  async setTimeouts(timeouts: Partial<IpvsTimeouts>): Promise<void> {
    await this.#request('SET_CONFIG', [encodeTimeouts(timeouts)]);
  }

  async startDaemon(daemon: SyncDaemon): Promise<void> {
    await this.#request('NEW_DAEMON', [encodeDaemon(daemon)]);
  }

  async stopDaemon(state: SyncDaemon['state']): Promise<void> {
    await this.#request('DEL_DAEMON', [encodeDaemonState(state)]);
  }

  async daemons(): Promise<SyncDaemon[]> {
    const replies = await this.#request('GET_DAEMON', [], {}, NLM_F.DUMP);
    return replies.map((reply) => this.#decoded('GET_DAEMON', decodeDaemonMessage(reply)));
  }

  async #change(change: IpvsChange): Promise<void> {
    const { operation, attributes, context } = changeRequest(change);
    await this.#request(operation, [attributes], context);
  }

  async #request(operation: IpvsOperation, attributes: Buffer[], context: IpvsErrorContext = {}, flags = 0): Promise<Buffer[]> {
    try {
      const replies = await genlRequest(this.#socket, this.#family, {
        cmd: IPVS_CMD[operation],
        flags,
        attributes: attributes.length === 1 ? attributes[0]! : Buffer.concat(attributes),
        operation: `IPVS ${operation}`,
      });
      return replies.map((reply) => reply.attributes);
    } catch (error) {
      if (error instanceof NetlinkError && error.code !== 'ETIMEDOUT' && error.code !== 'EPROTO') {
        throw new IpvsError(operation, error.errno, { ...context, ...(error.extendedMessage ? { kernelMessage: error.extendedMessage } : {}) });
      }
      throw error;
    }
  }

  #decoded<T>(operation: IpvsOperation, result: DecodeResult<T>): T {
    if (!result.ok) throw new IpvsProtocolError(operation, result.reason);
    return result.value;
  }
}

/** A change to the table, as apply() takes them; each is one of the single-change methods. */
export type IpvsChange =
  | { readonly kind: 'addService' | 'editService'; readonly service: Service }
  | { readonly kind: 'deleteService'; readonly service: ServiceKey }
  | { readonly kind: 'addDestination' | 'editDestination'; readonly service: ServiceKey; readonly destination: Destination }
  | { readonly kind: 'deleteDestination'; readonly service: ServiceKey; readonly destination: DestinationKey & Pick<Destination, 'family'> }
  | { readonly kind: 'flush' };

interface ChangeRequest {
  readonly operation: IpvsOperation;
  readonly attributes: Buffer;
  readonly context: IpvsErrorContext;
}

function changeRequest(change: IpvsChange): ChangeRequest {
  switch (change.kind) {
    case 'addService':
    case 'editService':
      return {
        operation: change.kind === 'addService' ? 'NEW_SERVICE' : 'SET_SERVICE',
        attributes: encodeService(change.service),
        context: { service: describeService(change.service), scheduler: change.service.scheduler, persistenceEngine: change.service.persistenceEngine },
      };
    case 'deleteService':
      return { operation: 'DEL_SERVICE', attributes: encodeServiceKey(change.service), context: { service: describeService(change.service) } };
    case 'addDestination':
    case 'editDestination':
      return {
        operation: change.kind === 'addDestination' ? 'NEW_DEST' : 'SET_DEST',
        attributes: encodeDestinationRequest(change.service, change.destination),
        context: destinationContext(change.service, change.destination),
      };
    case 'deleteDestination':
      return {
        operation: 'DEL_DEST',
        attributes: Buffer.concat([encodeServiceKey(change.service), encodeDestinationKey(change.destination.family, change.destination)]),
        context: destinationContext(change.service, change.destination),
      };
    case 'flush':
      return { operation: 'FLUSH', attributes: Buffer.alloc(0), context: {} };
  }
}

function destinationContext(service: ServiceKey, destination: DestinationKey & Pick<Destination, 'family'>): IpvsErrorContext {
  return { service: describeService(service), destination: hostPort(destination.family, destination.address, destination.port) };
}
