// SMTP_CHECK { } and its deprecated host { } nesting.
import { type BlockTable, none, parsed, str } from './types.js';
import { CHECK_CONNECTION, networkChecker } from './checker-common.js';

export const SMTP_CHECK: BlockTable = networkChecker('SMTP_CHECK', [
    parsed('helo_name', str(), 'HELO name'),
    parsed('host', none(), 'Deprecated nesting: a host to check', { block: 'SMTP_CHECK.host', repeatable: true }),
  ]);

export const SMTP_CHECK_HOST: BlockTable = { name: 'SMTP_CHECK.host', header: 'host', keywords: [...CHECK_CONNECTION] };
