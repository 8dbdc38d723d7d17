// UDP_CHECK { }: a datagram and, optionally, the reply it must get.
import { type BlockTable, int, kw, words } from './types.js';
import { networkChecker } from './checker-common.js';

export const UDP_CHECK: BlockTable = networkChecker('UDP_CHECK', [
    kw('payload', words(), 'Hex payload to send (free format: "01 02 0304")'),
    kw('require_reply', words(0), 'Reply required [hex pattern, X matches any digit]'),
    kw('min_reply_length', int(0, 65535), 'Shortest acceptable reply'),
    kw('max_reply_length', int(0, 65535), 'Longest acceptable reply'),
  ]);
