// track_file NAME { }: a file holding a number that tracking instances add to their priority.
import { type BlockTable, kw, str, weight, words } from './types.js';

export const TRACK_FILE: BlockTable = {
  name: 'track_file',
  header: 'track_file NAME',
  keywords: [
    kw('file', str(), 'Path of the file holding a number'),
    kw('weight', weight(-254, 254), 'Multiplier of the number in the file', { defaultValue: '1' }),
    kw('init_file', words(0), 'Create the file: [VALUE] [overwrite]'),
  ],
};
