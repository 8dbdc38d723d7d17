// real_server IP [PORT] { }: one backend of a virtual_server and its checkers.
import { type BlockTable, bool, int, kw, words } from './types.js';
import { CHECKER_BLOCKS, CHECK_TIMING } from './checker-common.js';
import { LVS_METHOD } from './virtual-server.js';

export const REAL_SERVER: BlockTable = {
  name: 'real_server',
  header: 'real_server IP [PORT]',
  keywords: [
    kw('weight', int(0, 2147483647), 'IPVS weight (0 = quiesced)', { defaultValue: '1' }),
    ...CHECKER_BLOCKS,
    kw('inhibit_on_failure', bool(), 'Set weight 0 instead of removing on failure'),
    kw('notify_up', words(), 'Run when the server comes up'),
    kw('notify_down', words(), 'Run when the server goes down'),
    kw('lvs_method', LVS_METHOD, 'Forwarding for this server'),
    kw('uthreshold', int(0, 4294967295), 'Upper connection threshold'),
    kw('lthreshold', int(0, 4294967295), 'Lower connection threshold'),
    ...CHECK_TIMING,
  ],
};
