// garp_group { }: GARP/NA rate limits for interfaces.
import { type BlockTable, none, parsed, secs, str } from './types.js';

export const GARP_GROUP: BlockTable = {
  name: 'garp_group',
  header: 'garp_group',
  keywords: [
    parsed('garp_interval', secs(0.000001, 4294.967295), 'Delay between GARPs on these interfaces'),
    parsed('gna_interval', secs(0.000001, 4294.967295), 'Delay between NAs on these interfaces'),
    parsed('interface', str(), 'The interface'),
    parsed('interfaces', none(), 'Several interfaces, one per line', { lines: 'name' }),
  ],
};
