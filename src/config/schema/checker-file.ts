// FILE_CHECK { }: health from a track_file.
import { type BlockTable, parsed, str, weight } from './types.js';

export const FILE_CHECK: BlockTable = {
    name: 'FILE_CHECK',
    header: 'FILE_CHECK',
    keywords: [parsed('track_file', str(), 'The track_file to follow'), parsed('weight', weight(-254, 254), 'Multiplier of the file\'s number')],
  };
