import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { controllerAttributes, CTRL_CMD, decodeGenlFamily, decodeGenlPayload, encodeGenlPayload, GENL_ID_CTRL } from '../../src/netlink/genl.js';
import { encodeAttributes } from '../../src/netlink/attributes.js';
import { encodeMessage, NLM_F } from '../../src/netlink/message.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('generic netlink messages', () => {
  it('builds CTRL_CMD_GETFAMILY "nlctrl" as nlmsghdr + genlmsghdr + CTRL_ATTR_FAMILY_NAME', () => {
    const payload = encodeGenlPayload(CTRL_CMD.GETFAMILY, 1, encodeAttributes(controllerAttributes, { familyName: 'nlctrl' }));
    const bytes = encodeMessage({ type: GENL_ID_CTRL, flags: NLM_F.REQUEST | NLM_F.ACK, seq: 5, payload });
    expect(bytes.toString('hex')).toBe(
      '20000000 1000 0500 05000000 00000000'.replace(/ /g, '') + // len 32, type 0x10, REQUEST|ACK, seq 5
        '03 01 0000'.replace(/ /g, '') + // cmd GETFAMILY, version 1, reserved
        '0b00 0200 6e6c6374726c00 00'.replace(/ /g, ''), // CTRL_ATTR_FAMILY_NAME "nlctrl\0"
    );
  });

  it('decodes a hand-written CTRL_CMD_NEWFAMILY reply with ops and multicast groups', () => {
    const payload = hex(
      '01 02 0000' + // cmd NEWFAMILY, version 2
        '0600 0100 1000 0000' + // CTRL_ATTR_FAMILY_ID 0x10
        '0b00 0200 6e6c6374726c00 00' + // CTRL_ATTR_FAMILY_NAME "nlctrl"
        '0800 0300 02000000' + // CTRL_ATTR_VERSION 2
        '0800 0400 00000000' + // CTRL_ATTR_HDRSIZE 0
        '0800 0500 0a000000' + // CTRL_ATTR_MAXATTR 10
        '1800 0600' + // CTRL_ATTR_OPS (kernel sends it without NLA_F_NESTED)
        '  1400 0100 0800 0100 03000000 0800 0200 0e000000' + // op 1: id 3, flags 0x0e
        '1c00 0700' + // CTRL_ATTR_MCAST_GROUPS
        '  1800 0100 0b00 0100 6e6f7469667900 00 0800 0200 10000000', // group 1: "notify", id 16
    );
    expect(decodeGenlFamily(payload)).toEqual({
      ok: true,
      value: { id: 16, name: 'nlctrl', version: 2, headerSize: 0, maxAttribute: 10, operations: [{ id: 3, flags: 14 }], multicastGroups: new Map([['notify', 16]]) },
    });
  });

  it('a genlmsghdr cut short is TRUNCATED; a reply without an id is BAD_VALUE', () => {
    expect(decodeGenlPayload(hex('0102'))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
    expect(decodeGenlFamily(hex('01020000 0b00 0200 6e6c6374726c00 00'))).toMatchObject({ ok: false, error: { code: 'BAD_VALUE' } });
  });

  it('random replies never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void decodeGenlFamily(Buffer.from(bytes))));
  });
});
