import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  attribute,
  binary,
  decodeAttributeList,
  decodeAttributes,
  defineAttributes,
  encodeAttribute,
  encodeAttributes,
  flag,
  ipAddress,
  macAddress,
  markedNetworkByteOrder,
  nested,
  nestedArray,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  s16,
  s32,
  s64,
  s8,
  string,
  u16,
  u16be,
  u32,
  u32be,
  u64,
  u64be,
  u8,
} from '../../src/netlink/attributes.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// An IPVS-like service table: a port in network byte order inside a nested attribute.
const service = defineAttributes({
  family: attribute(1, u16),
  protocol: attribute(2, u16),
  address: attribute(3, binary),
  port: attribute(4, u16be),
  scheduler: attribute(6, string),
  timeout: attribute(8, u32),
});
const command = defineAttributes({ service: attribute(1, nested(service)) });

describe('attribute byte layout (struct nlattr)', () => {
  it('pads the payload to 4 bytes, with nla_len counting header + payload only', () => {
    // IFA_LABEL "eth0:1": len 4+7=11, type 3, payload, one pad byte
    expect(encodeAttribute(3, Buffer.from('eth0:1\0')).toString('hex')).toBe('0b000300' + '657468303a3100' + '00');
  });

  it('encodes an IPVS-style nested service with NLA_F_NESTED and a big-endian port', () => {
    const bytes = encodeAttributes(command, { service: { family: 2, port: 80, scheduler: 'rr' } });
    expect(bytes.toString('hex')).toBe(
      '1c00' + '0180' + // outer: len 28, type 1 | NLA_F_NESTED
        '0600 0100 0200 0000'.replace(/ /g, '') + // family u16 = 2 (host order), padded
        '0600 0400 0050 0000'.replace(/ /g, '') + // port u16 = 80 in network order
        '0700 0600 727200 00'.replace(/ /g, ''), // scheduler "rr\0"
    );
    expect(decodeAttributes(command, bytes)).toEqual({ ok: true, value: { service: { family: 2, port: 80, scheduler: 'rr' } } });
  });

  it('decodes hand-written kernel bytes: u8, u32, u64, s32, flag, IPv4, IPv6, MAC', () => {
    const table = defineAttributes({
      scope: attribute(1, u8),
      index: attribute(2, u32),
      bytes: attribute(3, u64),
      offset: attribute(4, s32),
      nodad: attribute(5, flag),
      v4: attribute(6, ipAddress),
      v6: attribute(7, ipAddress),
      mac: attribute(8, macAddress),
    });
    const bytes = hex(
      '0500 0100 fd 000000' +
        '0800 0200 07000000' +
        '0c00 0300 0100000002000000' +
        '0800 0400 feffffff' +
        '0400 0500' +
        '0800 0600 c0000201' +
        '1400 0700 20010db8000000000000000000000001' +
        '0a00 0800 02005e000133 0000',
    );
    expect(decodeAttributes(table, bytes)).toEqual({
      ok: true,
      value: { scope: 253, index: 7, bytes: 0x0000000200000001n, offset: -2, nodad: true, v4: '192.0.2.1', v6: '2001:db8::1', mac: '02:00:5e:00:01:33' },
    });
    expect(encodeAttributes(table, { scope: 253, index: 7, bytes: 0x0000000200000001n, offset: -2, nodad: true, v4: '192.0.2.1', v6: '2001:db8::1', mac: '02:00:5e:00:01:33' })).toEqual(bytes);
  });

  it('honours NLA_F_NET_BYTEORDER on decode and can set it on encode', () => {
    const table = defineAttributes({ port: attribute(1, u16) });
    const marked = hex('0600 0140 1f90 0000'); // type 1 | NLA_F_NET_BYTEORDER, 8080 big-endian
    expect(decodeAttributes(table, marked)).toEqual({ ok: true, value: { port: 8080 } });
    const markedTable = defineAttributes({ port: attribute(1, markedNetworkByteOrder(u16be)) });
    expect(encodeAttributes(markedTable, { port: 8080 })).toEqual(marked);
    expect(decodeAttributeList(marked)).toMatchObject({ ok: true, value: [{ type: 1, networkByteOrder: true, nested: false }] });
  });

  it('network-order codecs write big-endian bytes', () => {
    const table = defineAttributes({ a: attribute(1, u32be), b: attribute(2, u64be) });
    expect(encodeAttributes(table, { a: 0x0a000001, b: 1n }).toString('hex')).toBe('080001000a000001' + '0c000200' + '0000000000000001');
  });

  it('leaves out undefined values and false flags, ignores unknown attributes, keeps the last duplicate', () => {
    const table = defineAttributes({ a: attribute(1, u32), b: attribute(2, flag) });
    expect(encodeAttributes(table, { b: false })).toHaveLength(0);
    const bytes = Buffer.concat([encodeAttribute(9, Buffer.from([1, 2, 3])), encodeAttribute(1, hex('01000000')), encodeAttribute(1, hex('02000000'))]);
    expect(decodeAttributes(table, bytes)).toEqual({ ok: true, value: { a: 2 } });
  });

  it('nested arrays number their members from 1', () => {
    const group = defineAttributes({ name: attribute(1, string), id: attribute(2, u32) });
    const table = defineAttributes({ groups: attribute(7, nestedArray(nested(group))) });
    const bytes = encodeAttributes(table, { groups: [{ name: 'a', id: 5 }, { name: 'b', id: 6 }] });
    const outer = decodeAttributeList(bytes);
    expect(outer.ok && outer.value[0]!.nested).toBe(true);
    const members = outer.ok ? decodeAttributeList(outer.value[0]!.payload) : undefined;
    expect(members?.ok && members.value.map((m) => m.type)).toEqual([1, 2]);
    expect(decodeAttributes(table, bytes)).toEqual({ ok: true, value: { groups: [{ name: 'a', id: 5 }, { name: 'b', id: 6 }] } });
  });

  it('refuses values the wire type cannot hold', () => {
    const table = defineAttributes({ small: attribute(1, u8) });
    expect(() => encodeAttributes(table, { small: 256 })).toThrow(RangeError);
    expect(() => encodeAttributes(defineAttributes({ ip: attribute(1, ipAddress) }), { ip: 'eth0' })).toThrow(TypeError);
  });
});

describe('malformed attributes give typed failures, never exceptions', () => {
  it('nla_len smaller than the header is BAD_LENGTH', () => {
    expect(decodeAttributeList(hex('0200 0100'))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH', offset: 0 } });
  });

  it('nla_len past the buffer is BAD_LENGTH at its offset', () => {
    expect(decodeAttributeList(hex('0800 0100 01000000 0c00 0200 0100'))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH', offset: 8, attribute: '2' } });
  });

  it('a short integer payload is BAD_VALUE naming the attribute', () => {
    const table = defineAttributes({ index: attribute(2, u32) });
    expect(decodeAttributes(table, hex('0600 0200 0100 0000'))).toMatchObject({ ok: false, error: { code: 'BAD_VALUE', attribute: 'index' } });
  });

  it('a bad member deep in a nest names the path', () => {
    const bytes = hex('0c00 0180 0500 0400 01 000000'); // service.port is 1 byte
    expect(decodeAttributes(command, bytes)).toMatchObject({ ok: false, error: { code: 'BAD_VALUE', attribute: 'service.port' } });
  });

  it('an address of 5 bytes is BAD_VALUE', () => {
    expect(decodeAttributes(defineAttributes({ ip: attribute(1, ipAddress) }), hex('0900 0100 0102030405 000000'))).toMatchObject({ ok: false, error: { code: 'BAD_VALUE' } });
  });

  it('random bytes never make a decoder throw', () => {
    const deep = defineAttributes({ a: attribute(1, nested(command)), b: attribute(2, nestedArray(nested(service))), c: attribute(3, ipAddress), d: attribute(4, u64), e: attribute(5, macAddress) });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        const result = decodeAttributes(deep, Buffer.from(bytes));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('property round trips', () => {
  const table = defineAttributes({
    a: attribute(1, u8),
    b: attribute(2, u16),
    c: attribute(3, u32),
    d: attribute(4, u64),
    e: attribute(5, s32),
    f: attribute(6, string),
    g: attribute(7, binary),
    h: attribute(8, flag),
    i: attribute(9, ipAddress),
    j: attribute(10, u16be),
    k: attribute(11, nested(service)),
    l: attribute(12, s8),
    m: attribute(13, s16),
    n: attribute(14, s64),
    o: attribute(15, u32be),
    p: attribute(16, u64be),
  });
  const text = fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0'));
  const values = fc.record(
    {
      a: fc.integer({ min: 0, max: 0xff }),
      b: fc.integer({ min: 0, max: 0xffff }),
      c: fc.integer({ min: 0, max: 0xffffffff }),
      d: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      e: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      f: text,
      g: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      h: fc.constant(true as const),
      i: fc.oneof(fc.ipV4(), fc.ipV6().map((address) => address)),
      j: fc.integer({ min: 0, max: 0xffff }),
      k: fc.record({ family: fc.constantFrom(2, 10), port: fc.integer({ min: 0, max: 0xffff }), scheduler: text }, { requiredKeys: [] }),
      l: fc.integer({ min: -128, max: 127 }),
      m: fc.integer({ min: -32768, max: 32767 }),
      n: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      o: fc.integer({ min: 0, max: 0xffffffff }),
      p: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    },
    { requiredKeys: [] },
  );

  it('decode(encode(x)) is x (addresses compared in canonical form)', () => {
    fc.assert(
      fc.property(values, (input) => {
        const result = decodeAttributes(table, encodeAttributes(table, input));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const { i, ...rest } = result.value;
        const { i: inputAddress, ...inputRest } = input;
        expect(rest).toEqual(inputRest);
        if (inputAddress !== undefined) expect(encodeAttributes(table, { i })).toEqual(encodeAttributes(table, { i: inputAddress }));
      }),
    );
  });

  it('header flags are kept apart from the attribute number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x3fff }), fc.boolean(), fc.uint8Array({ maxLength: 20 }), (type, isNested, payload) => {
        const list = decodeAttributeList(encodeAttribute(type, payload, isNested ? NLA_F_NESTED : NLA_F_NET_BYTEORDER));
        expect(list).toMatchObject({ ok: true, value: [{ type, nested: isNested, networkByteOrder: !isNested, payload: Buffer.from(payload) }] });
      }),
    );
  });
});
