// Control messages as the addon's recvmsgInto packs them (native/sockets.c): one after another,
// each [int32 level, int32 type, int32 length, `length` bytes padded to 4], host byte order. The
// addon repacks the kernel's cmsghdr list so that no ABI layout (size_t lengths, 8-byte alignment)
// has to be known here. Each payload is copied out: the packed buffer is reused by the next read.
import type { ControlMessage } from './native.js';

const HEADER_BYTES = 12;

/** The control messages in the first `length` bytes of `packed`; a short or overlong entry ends the list. */
export function unpackControlMessages(packed: Buffer, length: number): ControlMessage[] {
  const messages: ControlMessage[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= length) {
    const level = packed.readInt32LE(offset);
    const type = packed.readInt32LE(offset + 4);
    const size = packed.readInt32LE(offset + 8);
    const start = offset + HEADER_BYTES;
    if (size < 0 || start + size > length) break;
    const data = Buffer.allocUnsafe(size);
    packed.copy(data, 0, start, start + size);
    messages.push({ level, type, data });
    offset = start + ((size + 3) & ~3);
  }
  return messages;
}
