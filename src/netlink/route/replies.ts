// Turning an rtnetlink request's replies into typed objects: one place that skips the message
// types and families a caller does not want and turns a bad reply into NetlinkProtocolError.
import type { Decoded } from '../decode.js';
import { NetlinkProtocolError } from '../errors.js';
import type { NetlinkMessage } from '../message.js';
import type { NetlinkRequest, NetlinkSocket } from '../socket.js';

export interface DecodedRequest<T> extends NetlinkRequest {
  readonly operation: string;
  /** The reply message type to decode (RTM_NEWLINK for a link dump, ...); others are skipped. */
  readonly replyType: number;
  readonly decode: (message: NetlinkMessage) => Decoded<T>;
  /** Messages to skip before decoding (other address families in a dump, for instance). */
  readonly accept?: (message: NetlinkMessage) => boolean;
}

export async function requestDecoded<T>(socket: NetlinkSocket, request: DecodedRequest<T>): Promise<T[]> {
  const replies = await socket.request(request);
  const out: T[] = [];
  for (const message of replies) {
    if (message.type !== request.replyType || (request.accept && !request.accept(message))) continue;
    const value = request.decode(message);
    if (!value.ok) throw new NetlinkProtocolError(request.operation, value.error);
    out.push(value.value);
  }
  return out;
}
