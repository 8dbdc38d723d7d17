// MISC_CHECK { }: a script decides; no connection keywords.
import { type BlockTable, int, kw, none, words } from './types.js';
import { CHECK_COMMON } from './checker-common.js';

export const MISC_CHECK: BlockTable = {
    name: 'MISC_CHECK',
    header: 'MISC_CHECK',
    keywords: [
      ...CHECK_COMMON.filter((k) => k.name !== 'connect_timeout'),
      kw('misc_path', words(), 'Command line to run'),
      kw('misc_timeout', int(0, 4294967295), 'Whole seconds before the script is killed'),
      kw('misc_dynamic', none(), 'Exit status 2..255 sets weight to status-2'),
      kw('user', words(), 'USER [[:]GROUP] to run as'),
    ],
  };
