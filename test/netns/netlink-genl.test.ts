// Generic netlink against the real kernel: resolving families through nlctrl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CTRL_CMD,
  decodeGenlFamily,
  encodeGenlPayload,
  GENL_ID_CTRL,
  GENL_OP_FLAG,
  GenlFamilyNotFoundError,
  genlRequest,
  openGenlSocket,
  resolveGenlFamily,
} from '../../src/netlink/genl.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NLM_F } from '../../src/netlink/message.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace } from '../support/netns.js';

const PREFIX = 'ktsnl';
let socket: NetlinkSocket;

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  const ns = createNamespace(PREFIX);
  socket = inNamespace(ns, () => openGenlSocket());
});

afterAll(() => {
  socket?.close();
  disposeNamespaces();
});

describe('generic netlink families', () => {
  it('resolves nlctrl: fixed id 0x10, its GETFAMILY operation and its notify group', async () => {
    const family = await resolveGenlFamily(socket, 'nlctrl');
    expect(family).toMatchObject({ id: GENL_ID_CTRL, name: 'nlctrl', headerSize: 0 });
    expect(family.version).toBeGreaterThanOrEqual(1);
    const getFamily = family.operations.find((op) => op.id === CTRL_CMD.GETFAMILY);
    expect(getFamily && getFamily.flags & GENL_OP_FLAG.CMD_CAP_DO).toBeTruthy();
    expect(family.multicastGroups.get('notify')).toBeGreaterThan(0);
  });

  it('a missing family is a typed GenlFamilyNotFoundError with errno ENOENT', async () => {
    const error = await resolveGenlFamily(socket, 'IPVS_missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenlFamilyNotFoundError);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ family: 'IPVS_missing', code: 'ENOENT', errno: 2 });
    expect((error as Error).message).toContain("resolve generic netlink family 'IPVS_missing'");
  });

  it('genlRequest dumps every registered family, nlctrl among them', async () => {
    const nlctrl = await resolveGenlFamily(socket, 'nlctrl');
    const replies = await genlRequest(socket, nlctrl, { cmd: CTRL_CMD.GETFAMILY, flags: NLM_F.DUMP });
    expect(replies.length).toBeGreaterThan(1);
    const names = replies.map((reply) => {
      const family = decodeGenlFamily(encodeGenlPayload(reply.cmd, reply.version, reply.attributes));
      return family.ok ? family.value.name : `bad: ${family.error.message}`;
    });
    expect(names).toContain('nlctrl');
    expect(names.every((name) => !name.startsWith('bad:'))).toBe(true);
  });
});
