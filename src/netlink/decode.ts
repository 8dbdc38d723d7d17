// The result type every netlink decoder returns: bytes from the kernel (or anyone else) never make
// a decoder throw; they come back as a DecodeFailure with a stable code and the byte offset.

export type DecodeFailureCode =
  /** Fewer bytes than a fixed header (nlmsghdr, nlattr, ifaddrmsg, ...) needs. */
  | 'TRUNCATED'
  /** A length field that is too small for its own header or runs past the buffer. */
  | 'BAD_LENGTH'
  /** A payload of the wrong size or content for its declared kind (u32 of 3 bytes, bad address). */
  | 'BAD_VALUE';

export interface DecodeFailure {
  readonly code: DecodeFailureCode;
  readonly message: string;
  /** Offset in the buffer that was being decoded, when known. */
  readonly offset?: number;
  /** The attribute (table name or number) being decoded, when there was one. */
  readonly attribute?: string;
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DecodeFailure };

export function decoded<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

export function decodeFailure<T = never>(code: DecodeFailureCode, message: string, details: { offset?: number; attribute?: string } = {}): Decoded<T> {
  return { ok: false, error: { code, message, ...details } };
}
