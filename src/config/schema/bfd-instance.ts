// bfd_instance NAME { }: a BFD session (keepalived.conf(5) "BFD").
import { type BlockTable, alias, bool, int, none, parsed, str, weight } from './types.js';

export const BFD_INSTANCE: BlockTable = {
  name: 'bfd_instance',
  header: 'bfd_instance NAME',
  keywords: [
    parsed('neighbor_ip', str(), 'Peer address', { aliases: [alias('neighbour_ip')] }),
    parsed('source_ip', str(), 'Local address'),
    parsed('min_rx', int(1, 1000000), 'Required receive interval (ms)', { defaultValue: '10' }),
    parsed('min_tx', int(1, 1000000), 'Desired transmit interval (ms)', { defaultValue: '10' }),
    parsed('idle_tx', int(1, 1000000), 'Transmit interval while down (ms)', { defaultValue: '1000' }),
    parsed('multiplier', int(1, 255), 'Detection multiplier', { defaultValue: '5' }),
    parsed('passive', none(), 'Wait for the peer to start'),
    parsed('ttl', int(1, 255), 'TTL / hop limit', { aliases: [alias('hoplimit')] }),
    parsed('max_hops', int(0, 255), 'Most hops accepted'),
    parsed('multihop', bool(), 'Multi-hop session'),
    parsed('weight', weight(-253, 253), 'Priority change when the session is down'),
    parsed('vrrp', none(), 'Only for VRRP'),
    parsed('checker', none(), 'Only for checkers'),
  ],
};
