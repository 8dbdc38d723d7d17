import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineStruct } from '../../src/netlink/struct.js';
import { interfaceInfoHeader } from '../../src/netlink/route/link.js';
import { ruleHeader } from '../../src/netlink/route/rule.js';

describe('fixed C structs', () => {
  it('lay fields out in order, host byte order, pad bytes zero', () => {
    expect(interfaceInfoHeader.length).toBe(16);
    expect(interfaceInfoHeader.encode({ family: 10, type: 1, index: -2, flags: 0x11043, change: 0xffffffff }).toString('hex')).toBe(
      '0a00' + '0100' + 'feffffff' + '43100100' + 'ffffffff',
    );
    expect(ruleHeader.length).toBe(12);
    expect(ruleHeader.encode({ family: 2, srcLength: 24, table: 100, action: 1 }).toString('hex')).toBe('02001800' + '64000001' + '00000000');
  });

  it('decode what they encode, without the pad fields', () => {
    const ipvsFlags = defineStruct('ip_vs_flags', [['flags', 'u32'], ['mask', 'u32']]);
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), (flags, mask) => {
        expect(ipvsFlags.decode(ipvsFlags.encode({ flags, mask }))).toEqual({ ok: true, value: { flags, mask } });
      }),
    );
    expect(ruleHeader.decode(ruleHeader.encode({ tos: 4 }))).toEqual({ ok: true, value: { family: 0, dstLength: 0, srcLength: 0, tos: 4, table: 0, action: 0, flags: 0 } });
  });

  it('a short payload is TRUNCATED, naming the struct', () => {
    expect(interfaceInfoHeader.decode(Buffer.alloc(15))).toMatchObject({ ok: false, error: { code: 'TRUNCATED', message: 'ifinfomsg needs 16 bytes, got 15' } });
  });
});
