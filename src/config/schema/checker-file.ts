// FILE_CHECK { }: health from a track_file.
import { type BlockTable, kw, str, weight } from './types.js';

export const FILE_CHECK: BlockTable = {
    name: 'FILE_CHECK',
    header: 'FILE_CHECK',
    keywords: [kw('track_file', str(), 'The track_file to follow'), kw('weight', weight(-254, 254), 'Multiplier of the file\'s number')],
  };
