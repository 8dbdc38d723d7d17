// Generic netlink (<linux/genetlink.h>): the 4-byte genlmsghdr (cmd, version) in front of a
// family's attributes, and resolving a family by name through the nlctrl controller.
import {
  attribute,
  decodeAttributes,
  defineAttributes,
  encodeAttributes,
  nested,
  nestedArray,
  string,
  u16,
  u32,
  type AttributeValues,
} from './attributes.js';
import { decoded, decodeFailure, type Decoded } from './decode.js';
import { NetlinkError, NetlinkProtocolError } from './errors.js';
import { NETLINK_GENERIC, NetlinkSocket, type NetlinkSocketOptions } from './socket.js';

/** sizeof(struct genlmsghdr): u8 cmd, u8 version, u16 reserved. */
export const GENL_HDRLEN = 4;
/** nlctrl's fixed family id (GENL_ID_CTRL = NLMSG_MIN_TYPE). */
export const GENL_ID_CTRL = 0x10;

export const CTRL_CMD = {
  NEWFAMILY: 1,
  DELFAMILY: 2,
  GETFAMILY: 3,
  NEWOPS: 4,
  DELOPS: 5,
  GETOPS: 6,
  NEWMCAST_GRP: 7,
  DELMCAST_GRP: 8,
} as const;

/** GENL_* operation flags reported in CTRL_ATTR_OP_FLAGS. */
export const GENL_OP_FLAG = {
  ADMIN_PERM: 0x01,
  CMD_CAP_DO: 0x02,
  CMD_CAP_DUMP: 0x04,
  CMD_CAP_HASPOL: 0x08,
  UNS_ADMIN_PERM: 0x10,
} as const;

export interface GenlMessage {
  readonly cmd: number;
  readonly version: number;
  /** The family's attributes (after the family's own header, if it has one: see hdrsize). */
  readonly attributes: Buffer;
}

export function encodeGenlPayload(cmd: number, version: number, attributes: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(GENL_HDRLEN + attributes.length);
  out.writeUInt8(cmd, 0);
  out.writeUInt8(version, 1);
  out.set(attributes, GENL_HDRLEN);
  return out;
}

export function decodeGenlPayload(payload: Buffer): Decoded<GenlMessage> {
  if (payload.length < GENL_HDRLEN) return decodeFailure('TRUNCATED', `genlmsghdr needs ${GENL_HDRLEN} bytes, got ${payload.length}`);
  return decoded({ cmd: payload.readUInt8(0), version: payload.readUInt8(1), attributes: payload.subarray(GENL_HDRLEN) });
}

const operationAttributes = defineAttributes({
  id: attribute(1, u32),
  flags: attribute(2, u32),
});

const multicastGroupAttributes = defineAttributes({
  name: attribute(1, string),
  id: attribute(2, u32),
});

/** CTRL_ATTR_*: what nlctrl says about a family. */
export const controllerAttributes = defineAttributes({
  familyId: attribute(1, u16),
  familyName: attribute(2, string),
  version: attribute(3, u32),
  headerSize: attribute(4, u32),
  maxAttribute: attribute(5, u32),
  operations: attribute(6, nestedArray(nested(operationAttributes))),
  multicastGroups: attribute(7, nestedArray(nested(multicastGroupAttributes))),
});

export interface GenlFamily {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  /** Bytes of family-specific header after genlmsghdr (0 for most families, IPVS included). */
  readonly headerSize: number;
  readonly maxAttribute: number;
  readonly operations: readonly { readonly id: number; readonly flags: number }[];
  /** Group name → group id, for NetlinkEventSocket.join(). */
  readonly multicastGroups: ReadonlyMap<string, number>;
}

/** The family is not registered in this kernel (module not loaded, or no such family). */
export class GenlFamilyNotFoundError extends NetlinkError {
  readonly family: string;
  constructor(family: string, cause: NetlinkError) {
    super(cause.errno, { operation: `resolve generic netlink family '${family}'`, extendedMessage: cause.extendedMessage ?? 'family not found' }, cause.code);
    this.name = 'GenlFamilyNotFoundError';
    this.family = family;
  }
}

export function decodeGenlFamily(payload: Buffer): Decoded<GenlFamily> {
  const message = decodeGenlPayload(payload);
  if (!message.ok) return message;
  const values = decodeAttributes(controllerAttributes, message.value.attributes);
  if (!values.ok) return values;
  const family: AttributeValues<typeof controllerAttributes> = values.value;
  if (family.familyId === undefined || family.familyName === undefined) {
    return decodeFailure('BAD_VALUE', 'nlctrl reply without CTRL_ATTR_FAMILY_ID or CTRL_ATTR_FAMILY_NAME');
  }
  const groups = new Map<string, number>();
  for (const group of family.multicastGroups ?? []) {
    if (group.name !== undefined && group.id !== undefined) groups.set(group.name, group.id);
  }
  return decoded({
    id: family.familyId,
    name: family.familyName,
    version: family.version ?? 0,
    headerSize: family.headerSize ?? 0,
    maxAttribute: family.maxAttribute ?? 0,
    operations: (family.operations ?? []).map((op) => ({ id: op.id ?? 0, flags: op.flags ?? 0 })),
    multicastGroups: groups,
  });
}

/** Asks nlctrl for a family; a missing one is a GenlFamilyNotFoundError (errno ENOENT). */
export async function resolveGenlFamily(socket: NetlinkSocket, name: string): Promise<GenlFamily> {
  const operation = `CTRL_CMD_GETFAMILY ${name}`;
  let replies;
  try {
    replies = await socket.request({
      type: GENL_ID_CTRL,
      payload: encodeGenlPayload(CTRL_CMD.GETFAMILY, 1, encodeAttributes(controllerAttributes, { familyName: name })),
      operation,
    });
  } catch (error) {
    if (error instanceof NetlinkError && error.code === 'ENOENT') throw new GenlFamilyNotFoundError(name, error);
    throw error;
  }
  const reply = replies.find((message) => message.type === GENL_ID_CTRL);
  if (!reply) throw new NetlinkProtocolError(operation, { code: 'TRUNCATED', message: 'no CTRL_CMD_NEWFAMILY reply before the ACK' });
  const family = decodeGenlFamily(reply.payload);
  if (!family.ok) throw new NetlinkProtocolError(operation, family.error);
  return family.value;
}

/** A NETLINK_GENERIC request socket. */
export function openGenlSocket(options: NetlinkSocketOptions = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_GENERIC, options);
}

export interface GenlRequest {
  readonly cmd: number;
  /** NLM_F_* modifiers (NLM_F.DUMP for a dump). */
  readonly flags?: number;
  readonly attributes?: Uint8Array;
  readonly operation?: string;
  readonly timeoutMs?: number;
}

/** Sends one command to a resolved family and returns the decoded genl replies. */
export async function genlRequest(socket: NetlinkSocket, family: GenlFamily, request: GenlRequest): Promise<GenlMessage[]> {
  const operation = request.operation ?? `${family.name} cmd ${request.cmd}`;
  const replies = await socket.request({
    type: family.id,
    flags: request.flags ?? 0,
    payload: encodeGenlPayload(request.cmd, family.version, request.attributes),
    operation,
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
  });
  const out: GenlMessage[] = [];
  for (const reply of replies) {
    const message = decodeGenlPayload(reply.payload);
    if (!message.ok) throw new NetlinkProtocolError(operation, message.error);
    out.push(message.value);
  }
  return out;
}
