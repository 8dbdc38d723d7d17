// DNS_CHECK { }: a query that must be answered.
import { type BlockTable, oneOf, parsed, str } from './types.js';
import { networkChecker } from './checker-common.js';

export const DNS_CHECK: BlockTable = networkChecker('DNS_CHECK', [
    parsed('type', oneOf(['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA']), 'Query type', { defaultValue: 'SOA' }),
    parsed('name', str(), 'Query name', { defaultValue: '.' }),
  ]);
