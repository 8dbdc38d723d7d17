// SMTP_CHECK { } and its deprecated host { } nesting.
import { type BlockTable, kw, none, str } from './types.js';
import { CHECK_CONNECTION, networkChecker } from './checker-common.js';

export const SMTP_CHECK: BlockTable = networkChecker('SMTP_CHECK', [
    kw('helo_name', str(), 'HELO name'),
    kw('host', none(), 'Deprecated nesting: a host to check', { block: 'SMTP_CHECK.host', repeatable: true }),
  ]);

export const SMTP_CHECK_HOST: BlockTable = { name: 'SMTP_CHECK.host', header: 'host', keywords: [...CHECK_CONNECTION] };
