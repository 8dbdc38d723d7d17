// UDP_CHECK { }: a datagram and, optionally, the reply it must get.
import { type BlockTable, int, parsed, str } from './types.js';
import { networkChecker } from './checker-common.js';

export const UDP_CHECK: BlockTable = networkChecker('UDP_CHECK', [
    parsed('payload', str(), 'Hex payload to send'),
    parsed('require_reply', str(true), 'Reply required [hex pattern]'),
    parsed('min_reply_length', int(0, 65535), 'Shortest acceptable reply'),
    parsed('max_reply_length', int(0, 65535), 'Longest acceptable reply'),
  ]);
