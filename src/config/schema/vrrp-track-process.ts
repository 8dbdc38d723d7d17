// vrrp_track_process NAME { }: a process whose presence instances can track.
import { type BlockTable, int, none, oneOf, parsed, secs, weight, words } from './types.js';

export const VRRP_TRACK_PROCESS: BlockTable = {
  name: 'vrrp_track_process',
  header: 'vrrp_track_process NAME',
  keywords: [
    parsed('process', words(), 'Process name [args...]'),
    parsed('param_match', oneOf(['initial', 'partial']), 'How arguments match'),
    parsed('weight', weight(-254, 254), 'Priority change when the quorum is lost'),
    parsed('quorum', int(1, 65535), 'Processes needed', { defaultValue: '1' }),
    parsed('quorum_max', int(0, 65535), 'Most processes allowed'),
    parsed('delay', secs(0.000001, 3600), 'Delay before reporting a change'),
    parsed('fork_delay', secs(0.000001, 3600), 'Delay after a fork'),
    parsed('terminate_delay', secs(0.000001, 3600), 'Delay after a termination'),
    parsed('full_command', none(), 'Match the full command line'),
  ],
};
