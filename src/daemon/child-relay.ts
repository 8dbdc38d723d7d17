// Requests between the daemon's children over their IPC channels to the supervisor (the children
// have no channel to each other): the VRRP process, which serves /status and /metrics, asks the
// checker process for its snapshot (checker-snapshot.ts) at each request. The supervisor routes
// by role (routeRelayMessage); a request to a role that is not running is answered at once with
// no body, and the asking side gives up after a timeout, so a dead or busy checker only leaves
// its part of the document empty.
//
//   child:      const relay = new RelayClient(); relay.serve(async (body) => ...);
//               const answer = await relay.request('check', { want: 'snapshot' }, 1500);
//   supervisor: child.on('message', (m) => routeRelayMessage(role, m, sendToRole));

export interface RelayRequest {
  readonly kind: 'relay-request';
  readonly id: number;
  /** The role it is for ('check'), as sent; the role it came from, as delivered. */
  readonly to?: string;
  readonly from?: string;
  readonly body: unknown;
}

export interface RelayReply {
  readonly kind: 'relay-reply';
  readonly id: number;
  readonly to: string;
  /** undefined when the role asked is not running. */
  readonly body?: unknown;
}

function isRelayMessage(message: unknown): message is RelayRequest | RelayReply {
  if (typeof message !== 'object' || message === null) return false;
  const { kind, id } = message as { kind?: unknown; id?: unknown };
  return (kind === 'relay-request' || kind === 'relay-reply') && typeof id === 'number';
}

/**
 * The supervisor's routing: passes a child's relay message on to the role it names, or answers a
 * request itself (no body) when that role cannot take it. `send` returns false when the role has
 * no running child. Returns whether the message was a relay message.
 */
export function routeRelayMessage(fromRole: string, message: unknown, send: (role: string, message: RelayRequest | RelayReply) => boolean): boolean {
  if (!isRelayMessage(message)) return false;
  if (message.kind === 'relay-request') {
    const to = message.to ?? '';
    if (!send(to, { kind: 'relay-request', id: message.id, from: fromRole, body: message.body })) send(fromRole, { kind: 'relay-reply', id: message.id, to: fromRole });
  } else {
    send(message.to, message);
  }
  return true;
}

type Channel = Pick<NodeJS.Process, 'send' | 'on' | 'off' | 'connected'>;

/** A child's end: asks other roles and answers their requests. */
export class RelayClient {
  #nextId = 1;
  readonly #pending = new Map<number, (body: unknown) => void>();

  constructor(private readonly channel: Channel = process) {
    channel.on('message', (message: unknown) => {
      if (!isRelayMessage(message) || message.kind !== 'relay-reply') return;
      this.#pending.get(message.id)?.(message.body);
    });
  }

  /** The body `role` answered, or undefined when it is not running, not answering within timeoutMs, or we have no supervisor. */
  request(role: string, body: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.channel.connected || this.channel.send === undefined) return Promise.resolve(undefined);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const finish = (answer: unknown): void => {
        clearTimeout(timer);
        this.#pending.delete(id);
        resolve(answer);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.#pending.set(id, finish);
      this.channel.send!({ kind: 'relay-request', id, to: role, body } satisfies RelayRequest);
    });
  }

  /** Answers every request sent to this child's role with what `handler` resolves to. */
  serve(handler: (body: unknown) => Promise<unknown>): void {
    this.channel.on('message', (message: unknown) => {
      if (!isRelayMessage(message) || message.kind !== 'relay-request' || message.from === undefined) return;
      const reply = (body: unknown): void => {
        if (this.channel.connected) this.channel.send?.({ kind: 'relay-reply', id: message.id, to: message.from!, body } satisfies RelayReply);
      };
      handler(message.body).then(reply, () => reply(undefined));
    });
  }
}
