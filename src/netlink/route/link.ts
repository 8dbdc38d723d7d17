// Links over rtnetlink (struct ifinfomsg + IFLA_* attributes): dump, get by name or index,
// up/down and other settings, and creating/deleting dummy, veth and macvlan devices.
import {
  attribute,
  binary,
  decodeAttributes,
  defineAttributes,
  encodeAttributes,
  macAddress,
  nested,
  string,
  u16,
  u32,
  u8,
  type AttributeValues,
} from '../attributes.js';
import { decoded, decodeFailure, type Decoded } from '../decode.js';
import { NetlinkProtocolError } from '../errors.js';
import { NLM_F, type NetlinkMessage } from '../message.js';
import type { NetlinkSocket } from '../socket.js';
import { defineStruct, type StructOf } from '../struct.js';
import { IFF, MACVLAN_MODE, OPERSTATES, RTM, type MacvlanMode, type OperState } from './constants.js';
import { requestDecoded } from './replies.js';

/** struct ifinfomsg. `change` says which bits of `flags` a SETLINK/NEWLINK request changes. */
export const interfaceInfoHeader = defineStruct('ifinfomsg', [
  ['family', 'u8'],
  ['pad', 'pad'],
  ['type', 'u16'], // ARPHRD_*
  ['index', 's32'],
  ['flags', 'u32'], // IFF_*
  ['change', 'u32'],
]);

export type InterfaceInfoHeader = StructOf<typeof interfaceInfoHeader>;

/** IFLA_INFO_*: the nest that says what kind of device a link is. */
export const linkInfoAttributes = defineAttributes({
  kind: attribute(1, string),
  // Its layout depends on `kind`: decoded afterwards with the kind's own table.
  data: attribute(2, binary),
  slaveKind: attribute(4, string),
});

export const macvlanAttributes = defineAttributes({
  mode: attribute(1, u32),
  flags: attribute(2, u16),
});

/** IFLA_*: the link attributes this project reads or writes. */
export const linkAttributes = defineAttributes({
  address: attribute(1, macAddress),
  broadcast: attribute(2, macAddress),
  name: attribute(3, string),
  mtu: attribute(4, u32),
  parentIndex: attribute(5, u32),
  masterIndex: attribute(10, u32),
  txQueueLength: attribute(13, u32),
  operstate: attribute(16, u8),
  linkMode: attribute(17, u8),
  // iproute2 writes these nests without NLA_F_NESTED; rtnetlink parses them either way.
  linkInfo: attribute(18, nested(linkInfoAttributes, { nestedFlag: false })),
  namespacePid: attribute(19, u32),
  alias: attribute(20, string),
  group: attribute(27, u32),
  namespaceFd: attribute(28, u32),
  promiscuity: attribute(30, u32),
  carrier: attribute(33, u8),
});

export type LinkAttributes = AttributeValues<typeof linkAttributes>;

export interface Link {
  readonly index: number;
  readonly name: string;
  /** ARPHRD_* type. */
  readonly type: number;
  /** IFF_* flags as the kernel reports them. */
  readonly flags: number;
  /** Administratively up (IFF_UP). */
  readonly up: boolean;
  /** Carrier present (IFF_LOWER_UP). */
  readonly lowerUp: boolean;
  readonly operstate: OperState;
  readonly mtu?: number;
  readonly mac?: string;
  readonly broadcast?: string;
  /** IFLA_LINK: the lower device (a macvlan's parent, a veth's peer). */
  readonly parentIndex?: number;
  readonly masterIndex?: number;
  /** IFLA_INFO_KIND: 'veth', 'macvlan', 'dummy', 'bridge', ... (absent for physical devices). */
  readonly kind?: string;
  readonly macvlanMode?: MacvlanMode;
  readonly alias?: string;
}

/** Reads one RTM_NEWLINK/RTM_DELLINK message. */
export function decodeLink(message: NetlinkMessage): Decoded<Link> {
  const header = interfaceInfoHeader.decode(message.payload);
  if (!header.ok) return header;
  const values = decodeAttributes(linkAttributes, message.payload.subarray(interfaceInfoHeader.length));
  if (!values.ok) return values;
  const attrs = values.value;
  if (attrs.name === undefined) return decodeFailure('BAD_VALUE', `link ${header.value.index} without IFLA_IFNAME`);
  const { index, type, flags } = header.value;
  const kind = attrs.linkInfo?.kind;
  let macvlanMode: MacvlanMode | undefined;
  if ((kind === 'macvlan' || kind === 'macvtap') && attrs.linkInfo?.data) {
    const data = decodeAttributes(macvlanAttributes, attrs.linkInfo.data);
    if (data.ok && data.value.mode !== undefined) macvlanMode = macvlanModeName(data.value.mode);
  }
  return decoded({
    index,
    name: attrs.name,
    type,
    flags,
    up: (flags & IFF.UP) !== 0,
    lowerUp: (flags & IFF.LOWER_UP) !== 0,
    operstate: OPERSTATES[attrs.operstate ?? 0] ?? 'unknown',
    ...(attrs.mtu !== undefined ? { mtu: attrs.mtu } : {}),
    ...(attrs.address !== undefined ? { mac: attrs.address } : {}),
    ...(attrs.broadcast !== undefined ? { broadcast: attrs.broadcast } : {}),
    ...(attrs.parentIndex !== undefined ? { parentIndex: attrs.parentIndex } : {}),
    ...(attrs.masterIndex !== undefined ? { masterIndex: attrs.masterIndex } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(macvlanMode !== undefined ? { macvlanMode } : {}),
    ...(attrs.alias !== undefined ? { alias: attrs.alias } : {}),
  });
}

function macvlanModeName(mode: number): MacvlanMode | undefined {
  return (Object.keys(MACVLAN_MODE) as MacvlanMode[]).find((name) => MACVLAN_MODE[name] === mode);
}

/** A link named by index (a number) or by name (a string). */
export type LinkRef = number | string;

/** The ifinfomsg + attributes that pick one link: the index in the header, or IFLA_IFNAME. */
function selectLink(link: LinkRef, header: Partial<InterfaceInfoHeader> = {}, attrs: LinkAttributes = {}): Buffer {
  if (typeof link === 'number') return Buffer.concat([interfaceInfoHeader.encode({ ...header, index: link }), encodeAttributes(linkAttributes, attrs)]);
  return Buffer.concat([interfaceInfoHeader.encode(header), encodeAttributes(linkAttributes, { ...attrs, name: link })]);
}

export function listLinks(socket: NetlinkSocket): Promise<Link[]> {
  return requestDecoded(socket, {
    type: RTM.GETLINK,
    flags: NLM_F.DUMP,
    payload: interfaceInfoHeader.encode({}),
    operation: 'RTM_GETLINK dump',
    replyType: RTM.NEWLINK,
    decode: decodeLink,
  });
}

/** One link; a missing one rejects with NetlinkError code ENODEV. */
export async function getLink(socket: NetlinkSocket, link: LinkRef): Promise<Link> {
  const operation = `RTM_GETLINK ${link}`;
  const [found] = await requestDecoded(socket, { type: RTM.GETLINK, payload: selectLink(link), operation, replyType: RTM.NEWLINK, decode: decodeLink });
  if (!found) throw new NetlinkProtocolError(operation, { code: 'TRUNCATED', message: 'no RTM_NEWLINK before the ACK' });
  return found;
}

export interface LinkChanges {
  /** Administratively up or down (IFF_UP). */
  readonly up?: boolean;
  readonly mac?: string;
  readonly mtu?: number;
  /** Rename (the link must be down). */
  readonly name?: string;
  readonly alias?: string;
  /** Raw IFF_* bits to set or clear: `mask` says which bits of `flags` apply. */
  readonly flags?: { readonly flags: number; readonly mask: number };
}

export async function setLink(socket: NetlinkSocket, link: LinkRef, changes: LinkChanges): Promise<void> {
  let flags = changes.flags?.flags ?? 0;
  let change = changes.flags?.mask ?? 0;
  if (changes.up !== undefined) {
    flags = changes.up ? flags | IFF.UP : flags & ~IFF.UP;
    change |= IFF.UP;
  }
  const attrs: LinkAttributes = { address: changes.mac, mtu: changes.mtu, alias: changes.alias };
  // Renaming needs the index: IFLA_IFNAME then carries the new name.
  const target = changes.name !== undefined && typeof link === 'string' ? (await getLink(socket, link)).index : link;
  if (changes.name !== undefined) attrs.name = changes.name;
  await socket.request({
    type: RTM.SETLINK,
    payload: selectLink(target, { flags, change }, attrs),
    operation: `RTM_SETLINK ${link} ${JSON.stringify(changes)}`,
  });
}

export function setLinkUp(socket: NetlinkSocket, link: LinkRef, up = true): Promise<void> {
  return setLink(socket, link, { up });
}

export function setLinkDown(socket: NetlinkSocket, link: LinkRef): Promise<void> {
  return setLink(socket, link, { up: false });
}

export interface NewLink {
  readonly name: string;
  readonly mac?: string;
  readonly mtu?: number;
  readonly up?: boolean;
}

async function newLink(socket: NetlinkSocket, link: NewLink, kind: string, data: Buffer | undefined, extra: LinkAttributes, operation: string): Promise<void> {
  const attrs: LinkAttributes = {
    ...extra,
    name: link.name,
    address: link.mac,
    mtu: link.mtu,
    linkInfo: { kind, ...(data ? { data } : {}) },
  };
  const header = link.up ? { flags: IFF.UP, change: IFF.UP } : {};
  await socket.request({
    type: RTM.NEWLINK,
    flags: NLM_F.CREATE | NLM_F.EXCL,
    payload: Buffer.concat([interfaceInfoHeader.encode(header), encodeAttributes(linkAttributes, attrs)]),
    operation,
  });
}

/** A device of a kind that needs no kind-specific settings: 'bridge', 'dummy', 'ifb', ... */
export function createLink(socket: NetlinkSocket, link: NewLink & { readonly kind: string }): Promise<void> {
  return newLink(socket, link, link.kind, undefined, {}, `RTM_NEWLINK ${link.kind} ${link.name}`);
}

export interface NewVethPair extends NewLink {
  readonly peer: NewLink & {
    /** Create the peer directly in the network namespace of this process id... */
    readonly namespacePid?: number;
    /** ...or of this open namespace file descriptor (/run/netns/NAME). */
    readonly namespaceFd?: number;
  };
}

/** VETH_INFO_PEER carries a whole ifinfomsg followed by the peer's IFLA_* attributes. */
export function encodeVethPeer(peer: NewVethPair['peer']): Buffer {
  const header = peer.up ? { flags: IFF.UP, change: IFF.UP } : {};
  const attrs: LinkAttributes = { name: peer.name, address: peer.mac, mtu: peer.mtu, namespacePid: peer.namespacePid, namespaceFd: peer.namespaceFd };
  const payload = Buffer.concat([interfaceInfoHeader.encode(header), encodeAttributes(linkAttributes, attrs)]);
  const VETH_INFO_PEER = 1;
  return encodeAttributes(defineAttributes({ peer: attribute(VETH_INFO_PEER, binary) }), { peer: payload });
}

export function createVethPair(socket: NetlinkSocket, pair: NewVethPair): Promise<void> {
  return newLink(socket, pair, 'veth', encodeVethPeer(pair.peer), {}, `RTM_NEWLINK veth ${pair.name} peer ${pair.peer.name}`);
}

export interface NewMacvlan extends NewLink {
  /** The lower device. */
  readonly parent: LinkRef;
  /** Default 'vepa', as the kernel's. */
  readonly mode?: MacvlanMode;
}

export async function createMacvlan(socket: NetlinkSocket, link: NewMacvlan): Promise<void> {
  const mode = link.mode ?? 'vepa';
  const parentIndex = await resolveLinkIndex(socket, link.parent);
  const data = encodeAttributes(macvlanAttributes, { mode: MACVLAN_MODE[mode] });
  await newLink(socket, link, 'macvlan', data, { parentIndex }, `RTM_NEWLINK macvlan ${link.name} link ${link.parent} mode ${mode}`);
}

/** The index of a link given by index or name (a name costs one RTM_GETLINK). */
export async function resolveLinkIndex(socket: NetlinkSocket, link: LinkRef): Promise<number> {
  return typeof link === 'number' ? link : (await getLink(socket, link)).index;
}

export async function deleteLink(socket: NetlinkSocket, link: LinkRef): Promise<void> {
  await socket.request({ type: RTM.DELLINK, payload: selectLink(link), operation: `RTM_DELLINK ${link}` });
}
