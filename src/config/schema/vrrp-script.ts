// vrrp_script NAME { }: a health script instances can track.
import { type BlockTable, int, kw, none, weight, words } from './types.js';

export const VRRP_SCRIPT: BlockTable = {
  name: 'vrrp_script',
  header: 'vrrp_script NAME',
  keywords: [
    kw('script', words(), 'Command line to run'),
    kw('interval', int(1, 4294), 'Whole seconds between runs', { defaultValue: '1' }),
    kw('timeout', int(1, 4294967295), 'Whole seconds before a run counts as failed', { defaultValue: 'interval' }),
    kw('weight', weight(-253, 253), 'Priority change on success (>0) or failure (<0)', { defaultValue: '0' }),
    kw('fall', int(1, 2147483647), 'Failures before KO', { defaultValue: '1' }),
    kw('rise', int(1, 2147483647), 'Successes before OK', { defaultValue: '1' }),
    kw('user', words(), 'USER [[:]GROUP] to run as', { defaultValue: 'script_user' }),
    kw('init_fail', none(), 'Start in the failed state'),
  ],
};
