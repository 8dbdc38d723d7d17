// Fixed-layout C structs that families put in front of their attributes (ifinfomsg, ifaddrmsg,
// rtmsg, fib_rule_hdr, ...), described once as a list of fields in host byte order.
import { decoded, decodeFailure, type Decoded } from './decode.js';

/** `pad` is one reserved byte: written as zero, not decoded. */
export type StructFieldKind = 'u8' | 'u16' | 'u32' | 's32' | 'pad';

const SIZE: Record<StructFieldKind, number> = { u8: 1, u16: 2, u32: 4, s32: 4, pad: 1 };

export type StructField = readonly [name: string, kind: StructFieldKind];

/** The plain object a field list describes (pad bytes left out). */
export type StructValues<F extends readonly StructField[]> = { [E in F[number] as E[1] extends 'pad' ? never : E[0]]: number };

export interface StructCodec<T> {
  /** The C name, for error messages. */
  readonly name: string;
  /** sizeof the struct. */
  readonly length: number;
  /** Fields left out are written as zero. */
  encode(value: Partial<T>): Buffer;
  /** Never throws: a payload shorter than the struct is TRUNCATED. */
  decode(payload: Buffer): Decoded<T>;
}

/** The value type of a struct codec. */
export type StructOf<C> = C extends StructCodec<infer T> ? T : never;

export function defineStruct<const F extends readonly StructField[]>(name: string, fields: F): StructCodec<StructValues<F>> {
  const layout = fields.map(([field, kind], index) => ({ field, kind, offset: fields.slice(0, index).reduce((sum, [, k]) => sum + SIZE[k], 0) }));
  const length = fields.reduce((sum, [, kind]) => sum + SIZE[kind], 0);
  return {
    name,
    length,
    encode(value) {
      const out = Buffer.alloc(length);
      const values = value as Record<string, number | undefined>;
      for (const { field, kind, offset } of layout) {
        const number = values[field] ?? 0;
        if (kind === 'u8') out.writeUInt8(number, offset);
        else if (kind === 'u16') out.writeUInt16LE(number, offset);
        else if (kind === 'u32') out.writeUInt32LE(number >>> 0, offset);
        else if (kind === 's32') out.writeInt32LE(number, offset);
      }
      return out;
    },
    decode(payload) {
      if (payload.length < length) return decodeFailure('TRUNCATED', `${name} needs ${length} bytes, got ${payload.length}`);
      const values: Record<string, number> = {};
      for (const { field, kind, offset } of layout) {
        if (kind === 'u8') values[field] = payload.readUInt8(offset);
        else if (kind === 'u16') values[field] = payload.readUInt16LE(offset);
        else if (kind === 'u32') values[field] = payload.readUInt32LE(offset);
        else if (kind === 's32') values[field] = payload.readInt32LE(offset);
      }
      return decoded(values as StructValues<F>);
    },
  };
}
