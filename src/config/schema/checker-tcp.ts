// TCP_CHECK { }: a plain connect.
import { type BlockTable } from './types.js';
import { networkChecker } from './checker-common.js';

export const TCP_CHECK: BlockTable = networkChecker('TCP_CHECK', []);
