// vrrp_track_process NAME { }: a process whose presence instances can track.
import { type BlockTable, int, kw, none, oneOf, secs, weight, words } from './types.js';

export const VRRP_TRACK_PROCESS: BlockTable = {
  name: 'vrrp_track_process',
  header: 'vrrp_track_process NAME',
  keywords: [
    kw('process', words(), 'Process name [args...]'),
    kw('param_match', oneOf(['initial', 'partial']), 'How arguments match'),
    kw('weight', weight(-254, 254), 'Priority change when the quorum is lost'),
    kw('quorum', int(1, 65535), 'Processes needed', { defaultValue: '1' }),
    kw('quorum_max', int(0, 65535), 'Most processes allowed'),
    kw('delay', secs(0.000001, 3600), 'Delay before reporting a change'),
    kw('fork_delay', secs(0.000001, 3600), 'Delay after a fork'),
    kw('terminate_delay', secs(0.000001, 3600), 'Delay after a termination'),
    kw('full_command', none(), 'Match the full command line'),
  ],
};
