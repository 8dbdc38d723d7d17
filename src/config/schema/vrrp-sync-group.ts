// vrrp_sync_group NAME { }: instances that change state together.
import { type BlockTable, bool, kw, none, parsed, words } from './types.js';

/** notify_* keywords: `"cmd args" [user [group]]`. */
const notify = (name: string, summary: string) => kw(name, words(), `${summary}: "cmd args" [user [group]]`);

export const VRRP_SYNC_GROUP: BlockTable = {
  name: 'vrrp_sync_group',
  header: 'vrrp_sync_group NAME',
  keywords: [
    kw('group', none(), 'Member instances, one per line', { lines: 'name' }),
    notify('notify_master', 'Run when the group becomes MASTER'),
    notify('notify_backup', 'Run when the group becomes BACKUP'),
    notify('notify_fault', 'Run when the group enters FAULT'),
    notify('notify_stop', 'Run when the group stops'),
    kw('notify', words(), 'Run on every change with GROUP NAME STATE PRIORITY appended'),
    kw('track_interface', none(), 'Group-level tracked interfaces', { lines: 'tracked' }),
    kw('track_script', none(), 'Group-level tracked scripts', { lines: 'tracked' }),
    kw('track_file', none(), 'Group-level tracked files', { lines: 'tracked' }),
    kw('track_process', none(), 'Group-level tracked processes', { lines: 'tracked' }),
    parsed('track_bfd', none(), 'Group-level tracked BFD sessions', { lines: 'tracked' }),
    parsed('smtp_alert', bool(), 'Email on state changes'),
    kw('notify_priority_changes', bool(), 'Report priority changes'),
    parsed('global_tracking', none(), 'Members share tracking', { deprecation: 'use track_interface/track_script/track_file on the sync group' }),
    kw('sync_group_tracking_weight', none(), 'Allow weighted trackers in members'),
  ],
};
