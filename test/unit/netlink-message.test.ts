import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeAcknowledgement,
  decodeMessages,
  encodeMessage,
  NLM_F,
  NLMSG_DONE,
  NLMSG_ERROR,
  type NetlinkMessage,
} from '../../src/netlink/message.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('nlmsghdr framing', () => {
  it('encodes a link dump request as struct nlmsghdr + ifinfomsg', () => {
    const bytes = encodeMessage({ type: 18, flags: NLM_F.REQUEST | NLM_F.ACK | NLM_F.DUMP, seq: 1, payload: Buffer.alloc(16) });
    // len=32, type=RTM_GETLINK(18), flags=0x305, seq=1, pid=0, then 16 zero bytes
    expect(bytes.toString('hex')).toBe('20000000' + '1200' + '0503' + '01000000' + '00000000' + '00'.repeat(16));
  });

  it('pads the message to 4 bytes but records the unpadded length', () => {
    const bytes = encodeMessage({ type: 0x10, flags: 1, seq: 2, payload: Buffer.from([1, 2, 3, 4, 5]) });
    expect(bytes.length).toBe(24);
    expect(bytes.readUInt32LE(0)).toBe(21);
    const { messages, error } = decodeMessages(bytes);
    expect(error).toBeUndefined();
    expect(messages[0]!.payload).toEqual(Buffer.from([1, 2, 3, 4, 5]));
  });

  it('splits a datagram holding several messages', () => {
    const datagram = Buffer.concat([
      encodeMessage({ type: 20, flags: NLM_F.MULTI, seq: 9, pid: 77, payload: Buffer.alloc(8, 1) }),
      encodeMessage({ type: 20, flags: NLM_F.MULTI, seq: 9, pid: 77, payload: Buffer.alloc(3, 2) }),
      encodeMessage({ type: NLMSG_DONE, flags: NLM_F.MULTI, seq: 9, pid: 77, payload: Buffer.alloc(4) }),
    ]);
    const { messages, error } = decodeMessages(datagram);
    expect(error).toBeUndefined();
    expect(messages.map((m) => [m.type, m.seq, m.pid, m.payload.length])).toEqual([[20, 9, 77, 8], [20, 9, 77, 3], [3, 9, 77, 4]]);
  });

  it('round-trips any message', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 300 }), (type, flags, seq, pid, payload) => {
        const { messages, error } = decodeMessages(encodeMessage({ type, flags, seq, pid, payload }));
        expect(error).toBeUndefined();
        expect(messages).toEqual([{ type, flags, seq, pid, payload: Buffer.from(payload) }]);
      }),
    );
  });
});

describe('malformed datagrams give typed failures', () => {
  it('a header cut short is TRUNCATED', () => {
    expect(decodeMessages(hex('20000000 1200')).error).toMatchObject({ code: 'TRUNCATED', offset: 0 });
  });

  it('nlmsg_len below the header size is BAD_LENGTH', () => {
    expect(decodeMessages(hex('08000000 1200 0000 01000000 00000000')).error).toMatchObject({ code: 'BAD_LENGTH' });
  });

  it('nlmsg_len past the end keeps the whole messages before it', () => {
    const good = encodeMessage({ type: 16, flags: 0, seq: 1 });
    const bad = hex('40000000 1000 0000 02000000 00000000');
    const { messages, error } = decodeMessages(Buffer.concat([good, bad]));
    expect(messages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'BAD_LENGTH', offset: 16 });
  });

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const { messages } = decodeMessages(Buffer.from(bytes));
        for (const message of messages) decodeAcknowledgement({ ...message, type: NLMSG_ERROR });
      }),
    );
  });
});

describe('NLMSG_ERROR and extended ACK', () => {
  const errorMessage = (flags: number, payload: Buffer): NetlinkMessage => ({ type: NLMSG_ERROR, flags, seq: 7, pid: 0, payload });

  it('reads errno, the echoed header and the NLMSGERR_ATTR_MSG/OFFS TLVs of a capped ACK', () => {
    const payload = hex(
      'efffffff' + // error = -17 (EEXIST)
        '28000000 1400 0506 07000000 00000000' + // request header: len 40, RTM_NEWADDR, flags 0x605, seq 7
        '0800 0100 62616400' + // NLMSGERR_ATTR_MSG "bad"
        '0800 0200 18000000', // NLMSGERR_ATTR_OFFS 24
    );
    const ack = decodeAcknowledgement(errorMessage(NLM_F.CAPPED | NLM_F.ACK_TLVS, payload));
    expect(ack).toEqual({
      ok: true,
      value: { errno: 17, request: { length: 40, type: 20, flags: 0x605, seq: 7, pid: 0 }, extendedMessage: 'bad', extendedOffset: 24 },
    });
  });

  it('skips the echoed request (aligned) before the TLVs when the ACK is not capped', () => {
    const payload = hex(
      'eaffffff' + // -22 EINVAL
        '16000000 1400 0500 07000000 00000000 616263646566 0000' + // 22-byte request, padded to 24
        '0c00 0100 6e6f2073756368 00 00', // NLMSGERR_ATTR_MSG "no such" (len 12: 8 chars incl NUL)
    );
    const ack = decodeAcknowledgement(errorMessage(NLM_F.ACK_TLVS, payload));
    expect(ack.ok && ack.value).toMatchObject({ errno: 22, extendedMessage: 'no such' });
  });

  it('a plain ACK is errno 0 with no text', () => {
    const ack = decodeAcknowledgement(errorMessage(NLM_F.CAPPED, hex('00000000 24000000 1400 0506 07000000 00000000')));
    expect(ack).toEqual({ ok: true, value: { errno: 0, request: { length: 36, type: 20, flags: 0x605, seq: 7, pid: 0 } } });
  });

  it('NLMSG_DONE carries the dump result and may carry TLVs too', () => {
    expect(decodeAcknowledgement({ type: NLMSG_DONE, flags: NLM_F.MULTI, seq: 1, pid: 0, payload: hex('00000000') })).toEqual({ ok: true, value: { errno: 0 } });
    const done = decodeAcknowledgement({ type: NLMSG_DONE, flags: NLM_F.MULTI | NLM_F.ACK_TLVS, seq: 1, pid: 0, payload: hex('f4ffffff 0800 0100 78797a00') });
    expect(done).toEqual({ ok: true, value: { errno: 12, extendedMessage: 'xyz' } });
  });

  it('a short NLMSG_ERROR is TRUNCATED, a TLV offset past the payload is BAD_LENGTH', () => {
    expect(decodeAcknowledgement(errorMessage(0, hex('efffffff 1000')))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
    // not capped, echoed request claims 200 bytes that are not there
    const payload = hex('efffffff c8000000 1400 0506 07000000 00000000');
    expect(decodeAcknowledgement(errorMessage(NLM_F.ACK_TLVS, payload))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH' } });
  });
});
