// PING_CHECK { }: ICMP echo.
import { type BlockTable } from './types.js';
import { networkChecker } from './checker-common.js';

export const PING_CHECK: BlockTable = networkChecker('PING_CHECK', []);
