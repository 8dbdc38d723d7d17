// Policy routing rules over rtnetlink (struct fib_rule_hdr + FRA_* attributes): add, delete and
// dump, with priority, from/to prefixes, table, fwmark/mask, iif/oif, tos, invert and action.
import {
  attribute,
  decodeAttributes,
  defineAttributes,
  encodeAttributes,
  ipAddress,
  string,
  u32,
  u8,
  type AttributeValues,
} from '../attributes.js';
import { decoded, decodeFailure, type Decoded } from '../decode.js';
import { NLM_F, type NetlinkMessage } from '../message.js';
import type { NetlinkSocket } from '../socket.js';
import { defineStruct, type StructOf } from '../struct.js';
import { FAMILY, RT_TABLE, RTM, RULE_ACTIONS, type RuleAction } from './constants.js';
import { formatPrefix, isInetFamily, parsePrefix } from './prefix.js';
import { requestDecoded } from './replies.js';
import type { TableRef } from './route.js';

/** fib_rule_hdr.flags: match the opposite ('not' in ip rule). */
export const FIB_RULE_INVERT = 0x2;

/** struct fib_rule_hdr. `table` holds ids below 256; FRA_TABLE carries the full id. */
export const ruleHeader = defineStruct('fib_rule_hdr', [
  ['family', 'u8'],
  ['dstLength', 'u8'],
  ['srcLength', 'u8'],
  ['tos', 'u8'],
  ['table', 'u8'],
  ['reserved1', 'pad'],
  ['reserved2', 'pad'],
  ['action', 'u8'], // FR_ACT_*
  ['flags', 'u32'], // FIB_RULE_*
]);

export type RuleHeader = StructOf<typeof ruleHeader>;

/** FRA_*. */
export const ruleAttributes = defineAttributes({
  destination: attribute(1, ipAddress),
  source: attribute(2, ipAddress),
  inputInterface: attribute(3, string),
  goto: attribute(4, u32),
  priority: attribute(6, u32),
  fwmark: attribute(10, u32),
  flow: attribute(11, u32),
  suppressInterfaceGroup: attribute(13, u32),
  suppressPrefixLength: attribute(14, u32),
  table: attribute(15, u32),
  fwmask: attribute(16, u32),
  outputInterface: attribute(17, string),
  l3mdev: attribute(19, u8),
  protocol: attribute(21, u8),
});

export type RuleAttributes = AttributeValues<typeof ruleAttributes>;

/** What a rule matches on and does beyond prefixes and table, the same read or written. */
export interface RuleOptions {
  readonly fwmark?: number;
  readonly fwmask?: number;
  /** Input interface name ('iif' in ip rule). */
  readonly iif?: string;
  /** Output interface name ('oif' in ip rule). */
  readonly oif?: string;
  /** Target priority of action 'goto'. */
  readonly goto?: number;
  readonly suppressPrefixLength?: number;
  readonly protocol?: number;
}

export interface Rule extends RuleOptions {
  readonly family: 'inet' | 'inet6';
  readonly priority?: number;
  /** 'default' matches everything, else a prefix. */
  readonly from: string;
  readonly to: string;
  readonly table: number;
  readonly action: RuleAction | number;
  readonly invert: boolean;
  readonly tos: number;
  readonly flags: number;
}

export function decodeRule(message: NetlinkMessage): Decoded<Rule> {
  const header = ruleHeader.decode(message.payload);
  if (!header.ok) return header;
  const values = decodeAttributes(ruleAttributes, message.payload.subarray(ruleHeader.length));
  if (!values.ok) return values;
  const h = header.value;
  const attrs = values.value;
  if (h.family !== FAMILY.inet && h.family !== FAMILY.inet6) return decodeFailure('BAD_VALUE', `rule family ${h.family}`);
  return decoded({
    family: h.family === FAMILY.inet ? 'inet' : 'inet6',
    ...(attrs.priority !== undefined ? { priority: attrs.priority } : {}),
    from: formatPrefix(attrs.source, h.srcLength, h.family),
    to: formatPrefix(attrs.destination, h.dstLength, h.family),
    table: attrs.table ?? h.table,
    action: RULE_ACTIONS[h.action] ?? h.action,
    invert: (h.flags & FIB_RULE_INVERT) !== 0,
    tos: h.tos,
    ...(attrs.fwmark !== undefined ? { fwmark: attrs.fwmark } : {}),
    ...(attrs.fwmask !== undefined ? { fwmask: attrs.fwmask } : {}),
    ...(attrs.inputInterface !== undefined ? { iif: attrs.inputInterface } : {}),
    ...(attrs.outputInterface !== undefined ? { oif: attrs.outputInterface } : {}),
    ...(attrs.goto !== undefined ? { goto: attrs.goto } : {}),
    ...(attrs.suppressPrefixLength !== undefined ? { suppressPrefixLength: attrs.suppressPrefixLength } : {}),
    ...(attrs.protocol !== undefined ? { protocol: attrs.protocol } : {}),
    flags: h.flags,
  });
}

export interface RuleSpec extends RuleOptions {
  /** Needed when neither `from` nor `to` says it. */
  readonly family?: 'inet' | 'inet6';
  readonly from?: string;
  readonly to?: string;
  /** 'pref' in ip rule. */
  readonly priority?: number;
  /** Default 'main' when the action is 'table'. */
  readonly table?: TableRef;
  /** Default 'table'. */
  readonly action?: RuleAction;
  readonly invert?: boolean;
  readonly tos?: number;
}

function ruleFamily(spec: RuleSpec): number {
  if (spec.family) return FAMILY[spec.family];
  const text = spec.from ?? spec.to;
  if (text === undefined || text === 'all' || text === 'default') throw new TypeError('a rule without from/to needs a family');
  return parsePrefix(text).family;
}

/**
 * The RTM_NEWRULE/RTM_DELRULE payload. For a delete, the kernel removes the first rule matching
 * every field given; fields left out match anything.
 */
export function encodeRuleRequest(spec: RuleSpec, forDelete: boolean): Buffer {
  const family = ruleFamily(spec);
  const from = spec.from !== undefined ? parsePrefix(spec.from, family) : undefined;
  const to = spec.to !== undefined ? parsePrefix(spec.to, family) : undefined;
  const action = spec.action ?? (forDelete && spec.table === undefined ? 'unspec' : 'table');
  const table = spec.table !== undefined ? (typeof spec.table === 'number' ? spec.table : RT_TABLE[spec.table]) : action === 'table' ? RT_TABLE.main : 0;
  const header = ruleHeader.encode({
    family,
    dstLength: to?.length ?? 0,
    srcLength: from?.length ?? 0,
    tos: spec.tos ?? 0,
    table: table < 256 ? table : RT_TABLE.unspec,
    action: RULE_ACTIONS.indexOf(action),
    flags: spec.invert ? FIB_RULE_INVERT : 0,
  });
  const attrs: RuleAttributes = {
    destination: to?.address,
    source: from?.address,
    inputInterface: spec.iif,
    goto: spec.goto,
    priority: spec.priority,
    fwmark: spec.fwmark,
    suppressPrefixLength: spec.suppressPrefixLength,
    table: table !== 0 ? table : undefined,
    fwmask: spec.fwmask,
    outputInterface: spec.oif,
    protocol: spec.protocol,
  };
  return Buffer.concat([header, encodeAttributes(ruleAttributes, attrs)]);
}

function describe(spec: RuleSpec): string {
  const parts: string[] = [];
  if (spec.priority !== undefined) parts.push(`pref ${spec.priority}`);
  if (spec.invert) parts.push('not');
  if (spec.from) parts.push(`from ${spec.from}`);
  if (spec.to) parts.push(`to ${spec.to}`);
  if (spec.fwmark !== undefined) parts.push(`fwmark ${spec.fwmark}${spec.fwmask !== undefined ? `/${spec.fwmask}` : ''}`);
  if (spec.iif) parts.push(`iif ${spec.iif}`);
  if (spec.oif) parts.push(`oif ${spec.oif}`);
  if (spec.table !== undefined) parts.push(`table ${spec.table}`);
  if (spec.action && spec.action !== 'table') parts.push(spec.action);
  return parts.join(' ') || (spec.family ?? '');
}

/** Adds a rule; an identical one rejects with EEXIST. */
export async function addRule(socket: NetlinkSocket, spec: RuleSpec): Promise<void> {
  await socket.request({ type: RTM.NEWRULE, flags: NLM_F.CREATE | NLM_F.EXCL, payload: encodeRuleRequest(spec, false), operation: `RTM_NEWRULE ${describe(spec)}` });
}

/** Deletes the first matching rule; none rejects with ENOENT. */
export async function deleteRule(socket: NetlinkSocket, spec: RuleSpec): Promise<void> {
  await socket.request({ type: RTM.DELRULE, payload: encodeRuleRequest(spec, true), operation: `RTM_DELRULE ${describe(spec)}` });
}

export function listRules(socket: NetlinkSocket, filter: { family?: 'inet' | 'inet6' } = {}): Promise<Rule[]> {
  return requestDecoded(socket, {
    type: RTM.GETRULE,
    flags: NLM_F.DUMP,
    payload: ruleHeader.encode({ family: filter.family ? FAMILY[filter.family] : FAMILY.unspec }),
    operation: `RTM_GETRULE dump${filter.family ? ` ${filter.family}` : ''}`,
    replyType: RTM.NEWRULE,
    decode: decodeRule,
    // An unspecified-family dump also returns multicast-routing (RTNL_FAMILY_IPMR) rules: not ours.
    accept: (message) => isInetFamily(message.payload[0]),
  });
}
