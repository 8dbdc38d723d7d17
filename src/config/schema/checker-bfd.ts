// BFD_CHECK { }: health from a bfd_instance.
import { type BlockTable, bool, parsed, str } from './types.js';

export const BFD_CHECK: BlockTable = {
    name: 'BFD_CHECK',
    header: 'BFD_CHECK',
    keywords: [parsed('name', str(), 'The bfd_instance to follow'), parsed('alpha', bool(), 'Start down')],
  };
