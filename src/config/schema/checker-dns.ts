// DNS_CHECK { }: a query that must be answered.
import { type BlockTable, kw, oneOf, str } from './types.js';
import { networkChecker } from './checker-common.js';

export const DNS_CHECK: BlockTable = networkChecker('DNS_CHECK', [
    kw('type', oneOf(['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA']), 'Query type', { defaultValue: 'SOA' }),
    kw('name', str(), 'Query name', { defaultValue: '.' }),
  ]);
